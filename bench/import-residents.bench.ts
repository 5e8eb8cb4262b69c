// Benchmark: bulk import + numbering of N synthetic residents (default 1,000,000) from CSV, against
// a raw COPY of the very same rows into the same tables, on PostgreSQL and on PGlite.
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { PGlite } from '@electric-sql/pglite';
import { loadConfig } from '../src/kernel/config.ts';
import { createLogger } from '../src/kernel/logger.ts';
import { pgliteParsers } from '../src/kernel/db/database.ts';
import { createPlatform, type Platform } from '../src/platform/create-platform.ts';
import { generateHouseholds, rowToCsvFields, toCsvLine, RESIDENT_CSV_HEADER, DEMO_MUNICIPALITIES } from '../src/modules/registry/index.ts';
import { startTempPostgres } from './support/temp-postgres.ts';
import { randomBytes } from 'node:crypto';

/** A fixed key per run keeps the numbering realistic (and the development-key warning out of the output). */
const NUMBERING_KEY = randomBytes(32).toString('hex');

const TABLES = ['registry.households', 'registry.residents'] as const;
const MUNICIPALITY = DEMO_MUNICIPALITIES.find((m) => m.lgCode === '141003')!;

/** Writes the synthetic population as an import CSV (not timed). */
async function writeCsv(path: string, residents: number): Promise<void> {
  function* lines() {
    yield toCsvLine(RESIDENT_CSV_HEADER);
    for (const household of generateHouseholds({ lgCode: MUNICIPALITY.lgCode, municipalityName: MUNICIPALITY.name, prefecture: MUNICIPALITY.prefecture, residents, seed: 'bench', asOf: '2026-11-23' })) {
      for (const row of household.members) yield toCsvLine(rowToCsvFields(row));
    }
  }
  await pipeline(Readable.from(lines()), createWriteStream(path));
}

interface Engine {
  name: 'postgres' | 'pglite';
  platform: Platform;
  /** Exports each table's rows in COPY text format to a file (not timed). */
  exportTable(table: string, file: string): Promise<void>;
  truncate(): Promise<void>;
  /** The reference: COPY FROM of the exported files, in one transaction. */
  copyFiles(files: { table: string; file: string }[]): Promise<void>;
  close(): Promise<void>;
}

async function postgresEngine(url: string): Promise<Engine> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS myna_bench');
  await admin.query('CREATE DATABASE myna_bench');
  await admin.end();
  const dbUrl = url.replace(/\/[^/]*$/, '/myna_bench');
  const config = loadConfig({ DATABASE_URL: dbUrl, LOG_LEVEL: 'warn', MYNA_DEMO_MUNICIPALITY: '', MYNA_NUMBERING_KEY: NUMBERING_KEY });
  const platform = await createPlatform(config, { logger: createLogger({ level: 'warn' }) });
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  return {
    name: 'postgres',
    platform,
    async exportTable(table, file) {
      await pipeline(client.query(copyTo(`COPY ${table} TO STDOUT`)), createWriteStream(file));
    },
    async truncate() {
      await client.query('TRUNCATE registry.residents, registry.households CASCADE');
      await client.query('VACUUM ANALYZE registry.residents');
    },
    async copyFiles(files) {
      await client.query('BEGIN');
      for (const { table, file } of files) await pipeline(createReadStream(file), client.query(copyFrom(`COPY ${table} FROM STDIN`)));
      await client.query('COMMIT');
    },
    async close() {
      await client.end();
      await platform.close();
    },
  };
}

async function pgliteEngine(dir: string): Promise<Engine> {
  const pglite = await PGlite.create({ dataDir: join(dir, 'pglite'), parsers: pgliteParsers() });
  const config = loadConfig({ LOG_LEVEL: 'warn', MYNA_DEMO_MUNICIPALITY: '', MYNA_NUMBERING_KEY: NUMBERING_KEY });
  const platform = await createPlatform(config, { logger: createLogger({ level: 'warn' }), location: { kind: 'pglite-instance', pglite } });
  return {
    name: 'pglite',
    platform,
    async exportTable(table, file) {
      const result = await pglite.query(`COPY ${table} TO '/dev/blob'`);
      await pipeline(Readable.from(Buffer.from(await result.blob!.arrayBuffer())), createWriteStream(file));
    },
    async truncate() {
      await pglite.exec('TRUNCATE registry.residents, registry.households CASCADE');
    },
    async copyFiles(files) {
      await pglite.transaction(async (tx) => {
        for (const { table, file } of files) {
          // The same slicing as the import's own COPY path (16 MiB blobs), so both pay the same.
          const lines: string[] = [];
          let size = 0;
          const flush = async () => {
            if (lines.length === 0) return;
            await tx.query(`COPY ${table} FROM '/dev/blob'`, [], { blob: new Blob(lines) });
            lines.length = 0;
            size = 0;
          };
          const { createInterface } = await import('node:readline');
          for await (const line of createInterface({ input: createReadStream(file) })) {
            lines.push(`${line}\n`);
            size += line.length;
            if (size > 16 * 1024 * 1024) await flush();
          }
          await flush();
        }
      });
    },
    close: () => platform.close(),
  };
}

/** Runs the benchmark on one engine and returns its JSON line. */
async function measure(engine: Engine, csv: string, residents: number, work: string): Promise<Record<string, unknown>> {
  await engine.platform.registry.registerMunicipality(MUNICIPALITY);
  const t0 = performance.now();
  const summary = await engine.platform.registry.importResidentsCsv(MUNICIPALITY.lgCode, createReadStream(csv), { actor: { system: 'bench' } });
  const importSeconds = (performance.now() - t0) / 1000;
  if (summary.residents !== residents) throw new Error(`imported ${summary.residents}, expected ${residents}`);

  const files = TABLES.map((table) => ({ table, file: join(work, `${engine.name}-${table}.copy`) }));
  for (const f of files) await engine.exportTable(f.table, f.file);
  await engine.truncate();
  const t1 = performance.now();
  await engine.copyFiles(files);
  const copySeconds = (performance.now() - t1) / 1000;
  const ratio = copySeconds / importSeconds;
  return {
    bench: 'registry-import',
    db: engine.name,
    residents,
    households: summary.households,
    seconds: round(importSeconds),
    rowsPerSecond: Math.round(residents / importSeconds),
    reference: { name: 'raw COPY of the same rows (households + residents)', seconds: round(copySeconds), rowsPerSecond: Math.round(residents / copySeconds) },
    rateVsCopy: round(ratio),
    ...(engine.name === 'postgres' ? { target: { seconds: 60 * residents / 1_000_000, rateVsCopy: 0.4 }, pass: importSeconds <= 60 * residents / 1_000_000 && ratio >= 0.4 } : {}),
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** Runs the import benchmark; prints one JSON line per database. */
export async function runImportBenchmark(residents: number): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'myna-bench-'));
  try {
    const csv = join(work, 'residents.csv');
    await writeCsv(csv, residents);
    process.stderr.write(`generated ${residents} residents (${(statSync(csv).size / 1e6).toFixed(0)} MB CSV)\n`);

    const server = process.env['DATABASE_URL'] ? { url: process.env['DATABASE_URL'], version: 'DATABASE_URL', stop() {} } : await startTempPostgres();
    if (server) {
      try {
        const engine = await postgresEngine(server.url);
        try {
          console.log(JSON.stringify({ ...(await measure(engine, csv, residents, work)), server: server.version }));
        } finally { await engine.close(); }
      } finally { server.stop(); }
    } else {
      console.log(JSON.stringify({ bench: 'registry-import', db: 'postgres', skipped: 'no PostgreSQL server: set DATABASE_URL or apt-get install -y postgresql' }));
    }
    const engine = await pgliteEngine(work);
    try {
      console.log(JSON.stringify(await measure(engine, csv, residents, work)));
    } finally { await engine.close(); }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
