// The jpki schema: encrypted CA keys, CA generations, and every certificate issued.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    // Private keys sealed with AES-256-GCM under a key that lives outside the database (key-store.ts).
    sql`CREATE TABLE jpki.sealed_keys (
      ref         text PRIMARY KEY,
      label       text NOT NULL,
      algorithm   text NOT NULL,
      public_spki bytea NOT NULL,
      iv          bytea NOT NULL,
      sealed      bytea NOT NULL,
      created_at  timestamptz NOT NULL
    )`,
    // One row per CA generation; the newest active one issues, older ones stay for verification.
    sql`CREATE TABLE jpki.ca_generations (
      id          uuid PRIMARY KEY,
      kind        text NOT NULL CHECK (kind IN ('sign', 'auth')),
      generation  integer NOT NULL,
      key_ref     text NOT NULL REFERENCES jpki.sealed_keys (ref),
      certificate bytea NOT NULL,
      serial_hex  text NOT NULL,
      not_before  timestamptz NOT NULL,
      not_after   timestamptz NOT NULL,
      issuing     boolean NOT NULL,
      created_at  timestamptz NOT NULL,
      UNIQUE (kind, generation)
    )`,
    sql`CREATE UNIQUE INDEX ca_generations_one_issuing_uq ON jpki.ca_generations (kind) WHERE issuing`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP SCHEMA jpki CASCADE`.execute(db);
}
