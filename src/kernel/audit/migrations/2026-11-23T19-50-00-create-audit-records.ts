// The audit schema: append-only, hash-chained records and the chain head that serialises appends.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE audit.records (
      seq          bigint PRIMARY KEY,
      recorded_at  timestamptz NOT NULL,
      actor_kind   text NOT NULL,
      actor_id     text NOT NULL,
      actor_name   text NOT NULL,
      lg_code      text,
      action       text NOT NULL,
      subject_kind text,
      subject_ref  text,
      purpose      text,
      detail       jsonb NOT NULL DEFAULT '{}'::jsonb,
      prev_hash    text NOT NULL,
      hash         text NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX records_subject_idx ON audit.records (subject_kind, subject_ref, seq)`.execute(db);
  await sql`
    CREATE TABLE audit.chain_head (
      id   smallint PRIMARY KEY CHECK (id = 1),
      seq  bigint NOT NULL,
      hash text NOT NULL
    )`.execute(db);
  await sql`INSERT INTO audit.chain_head (id, seq, hash) VALUES (1, 0, ${'0'.repeat(64)})`.execute(db);
  // Append-only: the application never updates or deletes a record. Someone who bypasses this
  // (a superuser disabling the trigger) is caught by `myna-platform audit verify`.
  await sql`
    CREATE FUNCTION audit.reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit.records is append-only';
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER records_append_only BEFORE UPDATE OR DELETE ON audit.records
    FOR EACH ROW EXECUTE FUNCTION audit.reject_change()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE audit.records, audit.chain_head`.execute(db);
  await sql`DROP FUNCTION audit.reject_change()`.execute(db);
}
