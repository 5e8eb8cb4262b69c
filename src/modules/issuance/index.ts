// The issuance module's one public door (DESIGN §2): コンビニ交付 — municipal certificate servers, the centre, documents, settlement.
export { createIssuance, DEMO_OPERATORS, type IssuanceService, type IssuanceDeps } from './create-issuance.ts';
export { issuanceErrors, type IssuanceErrorCode } from './errors.ts';
export { issuanceMigrations } from './migrations/index.ts';
export { centreRoutes, municipalRoutes, verificationRoutes } from './http/routes.ts';
export { httpMunicipalClient } from './http/municipal-client.ts';
export type { Centre, MunicipalServerClient, Receipt } from './centre/centre.ts';
export type { Offer } from './municipal/municipal-server.ts';
export { serviceAvailability, type ServiceAvailability, type MaintenanceWindow } from './service-calendar.ts';
export { commissionPerCopy, DEFAULT_COMMISSION_PERIODS } from './fees/store-commission.ts';
export { operatingCharge } from './fees/operating-charge.ts';
export { settlementCsv, type SettlementLine } from './settlement.ts';
export * from './documents/index.ts';
export { kioskClient, type KioskCard, type KioskRun } from './kiosk/kiosk-client.ts';
