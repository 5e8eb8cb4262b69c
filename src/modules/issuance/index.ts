// The issuance module's one public door (DESIGN §2): コンビニ交付 — municipal certificate servers, the centre, documents, settlement.
export { createIssuance, DEMO_OPERATORS, type IssuanceService, type IssuanceDeps } from './create-issuance.ts';
export { issuanceErrors, type IssuanceErrorCode } from './errors.ts';
export { issuanceMigrations } from './migrations/index.ts';
export { centreRoutes, municipalRoutes, verificationRoutes } from './http/routes.ts';
export { httpMunicipalClient } from './http/municipal-client.ts';
export type { Centre, MunicipalServerClient, Receipt, UnfinishedOrder } from './centre/centre.ts';
export type { Offer } from './municipal/municipal-server.ts';
export { CERTIFICATE_TITLES } from './municipal/municipal-server.ts';
export { serviceAvailability, type ServiceAvailability, type MaintenanceWindow } from './service-calendar.ts';
export { commissionPerCopy, DEFAULT_COMMISSION_PERIODS, type CommissionPeriod } from './fees/store-commission.ts';
export { operatingCharge } from './fees/operating-charge.ts';
export { settlementCsv, type SettlementLine } from './settlement.ts';
export { operatingChargeCsv, type OperatingChargeLine } from './operating-charge-statement.ts';
export type { ScheduledMaintenance, MaintenanceEnding } from './maintenance-windows.ts';
export * from './documents/index.ts';
export { kioskClient, UNPRINTED_AFTER_CRASH, type KioskCard, type KioskRun, type KioskPrinter, type KioskStep, type KioskClientOptions, type ReconcileSummary } from './kiosk/kiosk-client.ts';
export { openKioskJournal, readJournalRecords, foldJournal, entryFinished, type KioskJournal, type JournalRecord, type JournalEntry, type CopyResult } from './kiosk/kiosk-journal.ts';
