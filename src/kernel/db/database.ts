// Opens the platform database: Kysely over the embedded PGlite (default) or a PostgreSQL server.
import { Kysely, PostgresDialect, PGliteDialect, type Driver, type DatabaseConnection, type CompiledQuery, type QueryResult, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type Dialect, type LogEvent } from 'kysely';
import pg from 'pg';
import { PGlite, types as pgliteTypes, type Transaction as PGliteTransaction } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';
import { kernelError } from '../errors.ts';
import { recordStage } from '../stage-timings.ts';
import { copyIntoPg, copyIntoPglite, type CopySource } from './copy.ts';

/** Which engine is underneath. */
export type DatabaseKind = 'pglite' | 'postgres';

/** A transaction that can also bulk-load rows with COPY (imports, seeding). */
export interface BulkTransaction {
  /** Kysely bound to this transaction. Do not call `.transaction()` on it. */
  readonly db: Kysely<any>;
  /**
   * Loads rows into `table` with `COPY … FROM STDIN` inside this transaction; returns the row count.
   * Values: string, number, boolean, Date, Uint8Array, object (as JSON) or null.
   */
  copyInto(table: string, columns: readonly string[], rows: CopySource): Promise<number>;
}

/** The opened database. Close it: an open PGlite keeps Node alive. */
export interface Database {
  readonly kind: DatabaseKind;
  readonly db: Kysely<any>;
  /** Runs `fn` in one transaction with COPY available; rolls back if `fn` throws. */
  bulkTransaction<T>(fn: (tx: BulkTransaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Where the data lives: a PostgreSQL URL, a PGlite folder, or PGlite in memory. */
export type DatabaseLocation =
  | { kind: 'postgres'; url: string }
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'pglite-memory' }
  | { kind: 'pglite-instance'; pglite: PGlite };

// Same result types on both drivers: int8 as number (counts, yen amounts stay far below 2^53),
// date as the 'YYYY-MM-DD' string (pg would shift it by the process time zone), numeric as number.
const INT8 = 20;
const DATE = 1082;
const NUMERIC = 1700;

/**
 * Opens the database and checks it answers.
 *
 * @example
 * const database = await openDatabase({ kind: 'pglite-memory' });
 */
export async function openDatabase(location: DatabaseLocation): Promise<Database> {
  try {
    if (location.kind === 'postgres') return await openPostgres(location.url);
    let pglite: PGlite;
    if (location.kind === 'pglite-instance') pglite = location.pglite;
    else {
      if (location.kind === 'pglite') mkdirSync(location.dataDir, { recursive: true });
      pglite = await PGlite.create(location.kind === 'pglite' ? location.dataDir : 'memory://', { parsers: pgliteParsers() });
    }
    return openPglite(pglite);
  } catch (cause) {
    if ((cause as { code?: string }).code === 'KERNEL_DB_UNAVAILABLE') throw cause;
    throw kernelError('KERNEL_DB_UNAVAILABLE', { detail: describeLocation(location), cause });
  }
}

/** Each statement's time to the stage timings (a no-op unless a benchmark listens). */
const reportQueryTime = (event: LogEvent) => recordStage('database', event.queryDurationMillis);

/** Type parsers PGlite instances must be created with so results match the pg driver. */
export function pgliteParsers(): Record<number, (value: string) => unknown> {
  return { [INT8]: Number, [DATE]: (v: string) => v, [NUMERIC]: Number, [pgliteTypes.TIMESTAMPTZ]: (v: string) => new Date(v) };
}

function describeLocation(location: DatabaseLocation): string {
  switch (location.kind) {
    case 'postgres': return `PostgreSQL ${redactUrl(location.url)}`;
    case 'pglite': return `PGlite ${location.dataDir}`;
    default: return 'PGlite (memory)';
  }
}

/** A connection URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

async function openPostgres(url: string): Promise<Database> {
  const parsers: Record<number, (v: string) => unknown> = { [INT8]: Number, [DATE]: (v) => v, [NUMERIC]: Number };
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types: { getTypeParser: ((oid: number, format?: 'text' | 'binary') => parsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser },
  });
  // An idle connection the server ends (restart, failover, DROP DATABASE … FORCE) must not crash the
  // process: the pool drops it and the next query opens a new one (node-postgres's advice).
  pool.on('error', () => undefined);
  // Fail now with a clear message rather than at the first query.
  const probe = await pool.connect();
  probe.release();
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }), log: reportQueryTime });
  return {
    kind: 'postgres',
    db,
    async bulkTransaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const txDb = new Kysely<any>({ dialect: singleSessionDialect(async (q) => {
          const r = await client.query(q.sql, q.parameters as unknown[]);
          return { rows: r.rows, affected: r.rowCount ?? undefined };
        }) });
        const result = await fn({ db: txDb, copyInto: (table, columns, rows) => copyIntoPg(client, table, columns, rows) });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => db.destroy(),
  };
}

function openPglite(pglite: PGlite): Database {
  const db = new Kysely<any>({ dialect: new PGliteDialect({ pglite }), log: reportQueryTime });
  return {
    kind: 'pglite',
    db,
    async bulkTransaction(fn) {
      // pglite.transaction() holds PGlite's exclusive lock, so queries from elsewhere in the
      // process (Kysely above) wait instead of running inside this transaction.
      return pglite.transaction(async (tx: PGliteTransaction) => {
        const txDb = new Kysely<any>({ dialect: singleSessionDialect(async (q) => {
          const r = await tx.query(q.sql, q.parameters as unknown[], { rowMode: 'object' });
          return { rows: r.rows as Record<string, unknown>[], affected: r.affectedRows };
        }) });
        return fn({ db: txDb, copyInto: (table, columns, rows) => copyIntoPglite(tx, table, columns, rows) });
      });
    },
    close: () => db.destroy(),
  };
}

type RunQuery = (query: CompiledQuery) => Promise<{ rows: Record<string, unknown>[]; affected: number | undefined }>;

/**
 * A Kysely dialect over one session that is already inside a transaction (a checked-out pg
 * client, or a PGlite transaction). Kysely has no built-in way to bind to such a session, and
 * COPY needs the raw session next to the query builder, hence this small adapter.
 */
function singleSessionDialect(run: RunQuery): Dialect {
  const connection: DatabaseConnection = {
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      const { rows, affected } = await run(query);
      return { rows: rows as R[], numAffectedRows: affected === undefined ? undefined : BigInt(affected) };
    },
    // eslint-disable-next-line require-yield
    async *streamQuery() {
      throw new TypeError('streaming is not available inside a bulk transaction');
    },
  };
  const driver: Driver = {
    init: async () => undefined,
    acquireConnection: async () => connection,
    beginTransaction: async () => { throw new TypeError('already inside a bulk transaction'); },
    commitTransaction: async () => undefined,
    rollbackTransaction: async () => undefined,
    releaseConnection: async () => undefined,
    destroy: async () => undefined,
  };
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => driver,
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
}
