// The composition root: opens the database, migrates it, and builds the kernel services and every module.
import type { PlatformConfig } from '../kernel/config.ts';
import { shiftedClock, systemClock, type Clock } from '../kernel/clock.ts';
import { createLogger, type Logger } from '../kernel/logger.ts';
import { openDatabase, type Database, type DatabaseLocation } from '../kernel/db/database.ts';
import { migrateModules, type ModuleMigrationReport } from '../kernel/db/migrate.ts';
import { createAuditLog, type AuditLog } from '../kernel/audit/audit-log.ts';
import { auditMigrations } from '../kernel/audit/migrations/index.ts';
import { idempotencyMigrations } from '../kernel/idempotency/migrations/index.ts';
import { createIdempotencyStore, type IdempotencyStore } from '../kernel/idempotency/idempotency-store.ts';
import { createRegistry, registryMigrations, type RegistryService } from '../modules/registry/index.ts';
import { createJpki, createSealedKeyStore, jpkiMigrations, loadSealingKey, type JpkiService } from '../modules/jpki/index.ts';
import { createCard, cardMigrations, type CardService } from '../modules/card/index.ts';
import { createIssuance, issuanceMigrations, type IssuanceService } from '../modules/issuance/index.ts';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/** Every module's migrations, in dependency order (DESIGN §2). */
export const MODULE_MIGRATIONS = [auditMigrations, idempotencyMigrations, registryMigrations, jpkiMigrations, cardMigrations, issuanceMigrations];

/** The running platform's parts, shared by the HTTP server, the CLI and the tests. */
export interface Platform {
  readonly config: PlatformConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly database: Database;
  readonly audit: AuditLog;
  readonly idempotency: IdempotencyStore;
  readonly registry: RegistryService;
  readonly jpki: JpkiService;
  readonly card: CardService;
  readonly issuance: IssuanceService;
  readonly migrations: readonly ModuleMigrationReport[];
  close(): Promise<void>;
}

/** Where the configuration says the data lives. */
export function databaseLocation(config: PlatformConfig): DatabaseLocation {
  if (config.databaseUrl) return { kind: 'postgres', url: config.databaseUrl };
  // The database gets a folder of its own, so the files beside it (server.json, the key-store key)
  // are not inside it: a copy of the database alone carries no key.
  return config.memory ? { kind: 'pglite-memory' } : { kind: 'pglite', dataDir: join(config.dataDir, 'pglite') };
}

/**
 * Opens and migrates the database and builds the platform.
 *
 * @example
 * const platform = await createPlatform(loadConfig(process.env));
 */
export async function createPlatform(
  config: PlatformConfig,
  overrides: { clock?: Clock; logger?: Logger; location?: DatabaseLocation } = {},
): Promise<Platform> {
  const clock = overrides.clock ?? (config.clockStart ? shiftedClock(config.clockStart) : systemClock);
  const logger = overrides.logger ?? createLogger({ level: config.logLevel });
  const database = await openDatabase(overrides.location ?? databaseLocation(config));
  try {
    const migrations = await migrateModules(database.db, MODULE_MIGRATIONS);
    const audit = createAuditLog(database.db, clock);
    const registry = await createRegistry({ database, clock, audit, logger }, { numberingKey: config.numberingKey });
    const idempotency = createIdempotencyStore(database.db, clock);
    // A throwaway run seals its CA keys with a throwaway key; otherwise the key lives outside the database.
    const sealingKey = config.memory && !config.jpkiKeystoreKey ? randomBytes(32) : loadSealingKey(config.jpkiKeystoreKey, config.dataDir, logger);
    const jpki = createJpki({ database, clock, audit, logger, keyStore: createSealedKeyStore(database.db, clock, sealingKey),
      settings: { crlIntervalMinutes: config.jpkiCrlIntervalMinutes, prices: config.jpkiPrices },
    });
    const card = createCard({ database, clock, audit, logger, registry, jpki, sealingKey, settings: config.card });
    const issuance = createIssuance({ database, clock, logger, audit, registry, jpki, sealingKey, settings: { commissionPeriods: config.issuanceCommissionPeriods, documentThreads: config.documentThreads } });
    return { config, clock, logger, database, audit, idempotency, registry, jpki, card, issuance, migrations, close: async () => { await issuance.close(); await database.close(); } };
  } catch (error) {
    await database.close();
    throw error;
  }
}
