// Published CRLs (one numbered series per CA generation, RFC 5280 cRLNumber) and the delegated OCSP responders.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE jpki.crls (
    ca_generation_id uuid NOT NULL REFERENCES jpki.ca_generations (id),
    crl_number       bigint NOT NULL,
    this_update      timestamptz NOT NULL,
    next_update      timestamptz NOT NULL,
    entries          integer NOT NULL,
    der              bytea NOT NULL,
    PRIMARY KEY (ca_generation_id, crl_number)
  )`.execute(db);
  // Delegated OCSP-signing certificates (RFC 6960 §4.2.2.2), short-lived and renewed before they expire.
  await sql`CREATE TABLE jpki.ocsp_responders (
    id               uuid PRIMARY KEY,
    ca_generation_id uuid NOT NULL REFERENCES jpki.ca_generations (id),
    key_ref          text NOT NULL REFERENCES jpki.sealed_keys (ref),
    certificate      bytea NOT NULL,
    not_before       timestamptz NOT NULL,
    not_after        timestamptz NOT NULL
  )`.execute(db);
  await sql`CREATE INDEX ocsp_responders_generation_idx ON jpki.ocsp_responders (ca_generation_id, not_after)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE jpki.ocsp_responders`.execute(db);
  await sql`DROP TABLE jpki.crls`.execute(db);
}
