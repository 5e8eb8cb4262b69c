// Runs each module's migrations in its own PostgreSQL schema, modules in dependency order.
import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationResult } from 'kysely/migration';

/**
 * A module's migration history. Names are ISO timestamps plus a slug
 * (`2026-11-23T19-40-00-create-residents`) so they sort in the order they were written.
 */
export interface ModuleMigrations {
  /** The module's PostgreSQL schema, which also holds its migration bookkeeping tables. */
  readonly schema: string;
  readonly migrations: Readonly<Record<string, Migration>>;
}

/** What one module's migration run did. */
export interface ModuleMigrationReport {
  readonly schema: string;
  readonly applied: readonly string[];
  readonly alreadyApplied: number;
}

/**
 * Brings every module's schema up to date; stops at the first failure (each migration runs in a
 * transaction, so a failed one leaves nothing behind).
 *
 * @example
 * await migrateModules(db, [auditMigrations, registryMigrations]);
 */
export async function migrateModules(db: Kysely<any>, modules: readonly ModuleMigrations[]): Promise<ModuleMigrationReport[]> {
  const reports: ModuleMigrationReport[] = [];
  for (const module of modules) {
    await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(module.schema)}`.execute(db);
    const migrator = new Migrator({
      db,
      provider: { getMigrations: async () => ({ ...module.migrations }) },
      migrationTableSchema: module.schema,
    });
    const { error, results } = await migrator.migrateToLatest();
    const applied = (results ?? []).filter((r: MigrationResult) => r.status === 'Success').map((r) => r.migrationName);
    const failed = (results ?? []).find((r: MigrationResult) => r.status === 'Error');
    if (error) {
      const where = failed ? `${module.schema}/${failed.migrationName}` : module.schema;
      throw new Error(`migration ${where} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    reports.push({ schema: module.schema, applied, alreadyApplied: Object.keys(module.migrations).length - applied.length });
  }
  return reports;
}
