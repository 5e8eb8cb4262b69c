// A fresh, migrated database per test: a PGlite copy of a migrated template, or (DATABASE_URL set)
// a PostgreSQL database created from a migrated template database.
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openDatabase, pgliteParsers, type DatabaseLocation } from '../../src/kernel/db/database.ts';
import { migrateModules } from '../../src/kernel/db/migrate.ts';
import { MODULE_MIGRATIONS } from '../../src/platform/create-platform.ts';

let pgliteTemplate: Promise<Blob> | undefined;
let pgTemplate: Promise<string> | undefined;
let counter = 0;

/** Migrates a PGlite once per test process and keeps its data folder as a tarball to copy from. */
function pgliteTemplateDump(): Promise<Blob> {
  pgliteTemplate ??= (async () => {
    const pglite = await PGlite.create({ parsers: pgliteParsers() });
    const database = await openDatabase({ kind: 'pglite-instance', pglite });
    await migrateModules(database.db, MODULE_MIGRATIONS);
    const dump = (await pglite.dumpDataDir('none')) as Blob;
    await database.close();
    return dump;
  })();
  return pgliteTemplate;
}

function adminUrl(databaseName: string): string {
  const url = new URL(process.env['DATABASE_URL']!);
  url.pathname = `/${databaseName}`;
  return url.toString();
}

/** Creates and migrates a template database once per test process. */
function postgresTemplate(): Promise<string> {
  pgTemplate ??= (async () => {
    const name = `myna_tpl_${process.pid}`;
    const admin = new pg.Client({ connectionString: process.env['DATABASE_URL'] });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const database = await openDatabase({ kind: 'postgres', url: adminUrl(name) });
    await migrateModules(database.db, MODULE_MIGRATIONS);
    await database.close();
    // Leave the developer's server as it was: the template goes when this test process ends.
    process.once('beforeExit', () => {
      const c = new pg.Client({ connectionString: process.env['DATABASE_URL'] });
      void c.connect().then(() => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).finally(() => c.end());
    });
    return name;
  })();
  return pgTemplate;
}

/** A location holding a freshly migrated, empty database, and a function that removes it. */
export async function createTestDatabaseLocation(): Promise<{ location: DatabaseLocation; drop(): Promise<void> }> {
  if (process.env['DATABASE_URL']) {
    const template = await postgresTemplate();
    const name = `myna_t_${process.pid}_${++counter}`;
    const admin = new pg.Client({ connectionString: process.env['DATABASE_URL'] });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    await admin.end();
    return {
      location: { kind: 'postgres', url: adminUrl(name) },
      drop: async () => {
        const c = new pg.Client({ connectionString: process.env['DATABASE_URL'] });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dump = await pgliteTemplateDump();
  const pglite = await PGlite.create({ loadDataDir: dump, parsers: pgliteParsers() });
  return { location: { kind: 'pglite-instance', pglite }, drop: async () => undefined };
}
