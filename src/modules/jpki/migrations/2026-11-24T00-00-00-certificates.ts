// Issued certificates, their holders and every revocation event (issue #3 items 2–3).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    // The person behind certificates, as J-LIS knows them: by 住民票コード, which the registry sends
    // with every change (住基ネット). The id is JPKI's own; verifier user IDs derive from it, so they
    // survive certificate renewal.
    sql`CREATE TABLE jpki.holders (
      id            uuid PRIMARY KEY,
      resident_code text NOT NULL UNIQUE,
      created_at    timestamptz NOT NULL
    )`,
    sql`CREATE TABLE jpki.certificates (
      id                uuid PRIMARY KEY,
      kind              text NOT NULL CHECK (kind IN ('sign', 'auth')),
      ca_generation_id  uuid NOT NULL REFERENCES jpki.ca_generations (id),
      -- Lowercase hex of the positive serial; random, so unique across both CAs as well.
      serial_hex        text NOT NULL UNIQUE,
      holder_id         uuid NOT NULL REFERENCES jpki.holders (id),
      lg_code           text NOT NULL,
      der               bytea NOT NULL,
      not_before        timestamptz NOT NULL,
      not_after         timestamptz NOT NULL,
      status            text NOT NULL CHECK (status IN ('good', 'hold', 'revoked')),
      status_changed_at timestamptz,
      revocation_reason text,
      -- The certificate this one renewed (old ↔ new linkage).
      replaces_id       uuid REFERENCES jpki.certificates (id),
      card_ref          text,
      issued_at         timestamptz NOT NULL,
      CHECK ((status = 'good') = (status_changed_at IS NULL)),
      CHECK ((status = 'revoked') = (revocation_reason IS NOT NULL))
    )`,
    // The 5-digit sequence in the signing certificate's CN (§13.3), wrapping at 100 000.
    sql`CREATE SEQUENCE jpki.signing_cn_sequence MINVALUE 0 MAXVALUE 99999 CYCLE`,
    sql`CREATE INDEX certificates_holder_idx ON jpki.certificates (holder_id, kind)`,
    // CRLs list exactly these rows.
    sql`CREATE INDEX certificates_not_good_idx ON jpki.certificates (ca_generation_id) WHERE status <> 'good'`,
    // Append-only history of revocations, holds and releases.
    sql`CREATE TABLE jpki.revocation_events (
      id             bigserial PRIMARY KEY,
      certificate_id uuid NOT NULL REFERENCES jpki.certificates (id),
      action         text NOT NULL CHECK (action IN ('revoke', 'hold', 'release')),
      reason         text,
      occurred_at    timestamptz NOT NULL,
      source         text NOT NULL
    )`,
    sql`CREATE INDEX revocation_events_certificate_idx ON jpki.revocation_events (certificate_id)`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['revocation_events', 'certificates', 'holders']) await sql`DROP TABLE jpki.${sql.raw(table)}`.execute(db);
  await sql`DROP SEQUENCE jpki.signing_cn_sequence`.execute(db);
}
