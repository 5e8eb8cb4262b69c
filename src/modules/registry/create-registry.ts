// Builds the registry service from its dependencies: each method is one use case in its own file.
import type { Readable } from 'node:stream';
import type { RegistryService } from './contract.ts';
import type { RegistryContext } from './registry-context.ts';
import type { RegistryDeps, RegistryConfig } from './config.ts';
import type { RegistryDb } from './db/tables.ts';
import { loadNumberingKeys } from './load-numbering-keys.ts';
import { registerMunicipality, getMunicipality, listMunicipalities } from './municipalities.ts';
import { createApiKey, authenticate } from './staff-api-keys.ts';
import { getResident, findResidents, getHousehold, getResidentHistory, getResidentWithHousehold } from './read-residents.ts';
import { recordBirth } from './record-birth.ts';
import { recordMoveIn } from './record-move-in.ts';
import { recordMoveWithin } from './record-move-within.ts';
import { recordMoveOut } from './record-move-out.ts';
import { recordDeath } from './record-death.ts';
import { changeName } from './change-name.ts';
import { correctResident } from './correct-resident.ts';
import { reissueIndividualNumber } from './reissue-individual-number.ts';
import { registerSeal, abolishSeal, listSeals, getSealImage } from './seal-registrations.ts';
import { recordTax, listTaxRecords } from './tax-records.ts';
import { getFamilyRegister, findFamilyRegisters } from './family-registers.ts';
import { pendingOutbox, markOutboxConsumed } from './outbox.ts';
import { importResidents } from './import-residents.ts';
import { parseResidentCsv } from './parse-resident-csv.ts';
import { RESIDENT_CSV_COLUMNS } from './resident-csv.ts';
import { seedMunicipality } from './seed-municipality.ts';

/**
 * Creates the registry service. Migrations must have run (registryMigrations).
 *
 * @example
 * const registry = await createRegistry({ database, clock, audit, logger }, { numberingKey: undefined });
 * const staff = await registry.authenticate(apiKey);
 */
export async function createRegistry(deps: RegistryDeps, config: RegistryConfig): Promise<RegistryService> {
  const db = deps.database.db as RegistryDb;
  const { keys, source } = await loadNumberingKeys(db, config.numberingKey);
  if (source === 'database') {
    deps.logger.warn('MYNA_NUMBERING_KEY is not set: using the numbering key kept in the database (fine for development, not for production; see docs/config.md)');
  }
  const ctx: RegistryContext = { ...deps, db, keys };
  const csvField = (field: string) => RESIDENT_CSV_COLUMNS.find((c) => c.key === field)?.name ?? field;

  return {
    registerMunicipality: (input) => registerMunicipality(ctx, input),
    getMunicipality: (lgCode) => getMunicipality(ctx, lgCode),
    listMunicipalities: () => listMunicipalities(ctx),
    createApiKey: (lgCode, staffName) => createApiKey(ctx, lgCode, staffName),
    authenticate: (apiKey) => authenticate(ctx, apiKey),

    getResident: (read, id) => getResident(ctx, read, id),
    findResidents: (read, query) => findResidents(ctx, read, query),
    getHousehold: (read, id) => getHousehold(ctx, read, id),
    getResidentWithHousehold: (read, code) => getResidentWithHousehold(ctx, read, code),
    getResidentHistory: (read, id) => getResidentHistory(ctx, read, id),

    recordBirth: (staff, input) => recordBirth(ctx, staff, input),
    recordMoveIn: (staff, input) => recordMoveIn(ctx, staff, input),
    recordMoveWithin: (staff, id, input) => recordMoveWithin(ctx, staff, id, input),
    recordMoveOut: (staff, id, input) => recordMoveOut(ctx, staff, id, input),
    recordDeath: (staff, id, input) => recordDeath(ctx, staff, id, input),
    changeName: (staff, id, input) => changeName(ctx, staff, id, input),
    correctResident: (staff, id, input) => correctResident(ctx, staff, id, input),
    reissueIndividualNumber: (staff, id, input) => reissueIndividualNumber(ctx, staff, id, input),

    registerSeal: (staff, id, input) => registerSeal(ctx, staff, id, input),
    abolishSeal: (staff, id, input) => abolishSeal(ctx, staff, id, input),
    listSeals: (read, id) => listSeals(ctx, read, id),
    getSealImage: (read, id) => getSealImage(ctx, read, id),
    recordTax: (staff, id, input) => recordTax(ctx, staff, id, input),
    listTaxRecords: (read, id) => listTaxRecords(ctx, read, id),
    getFamilyRegister: (read, id) => getFamilyRegister(ctx, read, id),
    findFamilyRegisters: (read, query) => findFamilyRegisters(ctx, read, query),

    pendingOutbox: (limit) => pendingOutbox(ctx, limit),
    markOutboxConsumed: (ids) => markOutboxConsumed(ctx, ids),

    importResidentsCsv: (lgCode, csv: Readable, options) =>
      importResidents(ctx, parseResidentCsv(csv), { lgCode, actor: options.actor, fieldName: csvField, ...(options.onProgress ? { onProgress: options.onProgress } : {}), ...(options.totalHint ? { totalHint: options.totalHint } : {}) }),
    seedMunicipality: (options) => seedMunicipality(ctx, options),
  };
}
