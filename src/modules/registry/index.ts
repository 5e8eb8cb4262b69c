// The registry module's one public door (DESIGN §2): its factory, contract types, errors, migrations and HTTP plugin.
export { createRegistry } from './create-registry.ts';
export type { RegistryDeps, RegistryConfig } from './config.ts';
export type * from './contract.ts';
export { RELATIONSHIPS } from './import-row.ts';
export { registryErrors, type RegistryErrorCode } from './errors.ts';
export { registryMigrations } from './migrations/index.ts';
export { registryRoutes } from './http/routes.ts';
export { RESIDENT_CSV_COLUMNS, RESIDENT_CSV_HEADER, rowToCsvFields, toCsvLine } from './resident-csv.ts';
export { generateHouseholds } from './seed/generate-population.ts';
export { DEMO_MUNICIPALITIES } from './seed/demo-municipalities.ts';
export { municipalityRomaji } from './municipality-romaji.ts';
