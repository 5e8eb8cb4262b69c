// Verifiers (署名検証者・利用者証明検証者・プラットフォーム事業者), their stored certificates, usage for billing, and revocation webhooks.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`CREATE TABLE jpki.verifiers (
      id              uuid PRIMARY KEY,
      name            text NOT NULL,
      kind            text NOT NULL CHECK (kind IN ('signature', 'user_authentication', 'platform_operator')),
      -- SHA-256 of the credential; the credential itself is shown once at registration.
      credential_hash bytea NOT NULL UNIQUE,
      -- Per-verifier salt of the user ID (HMAC of JPKI's holder id): unlinkable across verifiers.
      user_id_salt    bytea NOT NULL,
      webhook_url     text,
      active          boolean NOT NULL,
      created_at      timestamptz NOT NULL
    )`,
    // Certificates a verifier stored through the verification API; the id is the certificate ID it keeps.
    sql`CREATE TABLE jpki.stored_certificates (
      id             uuid PRIMARY KEY,
      verifier_id    uuid NOT NULL REFERENCES jpki.verifiers (id),
      certificate_id uuid NOT NULL REFERENCES jpki.certificates (id),
      subscribed     boolean NOT NULL DEFAULT false,
      stored_at      timestamptz NOT NULL,
      UNIQUE (verifier_id, certificate_id)
    )`,
    sql`CREATE INDEX stored_certificates_certificate_idx ON jpki.stored_certificates (certificate_id) WHERE subscribed`,
    // Status checks per verifier, month (JST) and service, for the monthly statement.
    sql`CREATE TABLE jpki.usage (
      verifier_id uuid NOT NULL REFERENCES jpki.verifiers (id),
      month       text NOT NULL,
      service     text NOT NULL CHECK (service IN ('ocsp', 'crl', 'verify')),
      count       bigint NOT NULL,
      PRIMARY KEY (verifier_id, month, service)
    )`,
    // Revocation push: written in the revocation's own transaction (nothing lost), sent by the dispatcher.
    sql`CREATE TABLE jpki.webhook_deliveries (
      id                    uuid PRIMARY KEY,
      verifier_id           uuid NOT NULL REFERENCES jpki.verifiers (id),
      stored_certificate_id uuid NOT NULL REFERENCES jpki.stored_certificates (id),
      payload               jsonb NOT NULL,
      created_at            timestamptz NOT NULL,
      attempts              integer NOT NULL DEFAULT 0,
      next_attempt_at       timestamptz NOT NULL,
      delivered_at          timestamptz,
      last_error            text
    )`,
    sql`CREATE INDEX webhook_deliveries_due_idx ON jpki.webhook_deliveries (next_attempt_at) WHERE delivered_at IS NULL`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['webhook_deliveries', 'usage', 'stored_certificates', 'verifiers']) await sql`DROP TABLE jpki.${sql.raw(table)}`.execute(db);
}
