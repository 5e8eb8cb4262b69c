// The idempotency schema: one row per (caller, route, Idempotency-Key), holding the first answer.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE idempotency.keys (
      scope         char(64) NOT NULL,
      key           text NOT NULL,
      request_hash  char(64) NOT NULL,
      state         text NOT NULL CHECK (state IN ('in_progress', 'done')),
      status        integer,
      content_type  text,
      body          text,
      created_at    timestamptz NOT NULL,
      PRIMARY KEY (scope, key)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE idempotency.keys`.execute(db);
}
