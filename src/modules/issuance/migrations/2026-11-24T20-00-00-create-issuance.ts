// The issuance schema: operators and kiosks, participating municipalities and their offers, kiosk sessions, orders, documents in flight, settlement.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Store operators (コンビニ事業者), Japan Post (郵便局), and municipal counters (窓口交付).
  await sql`CREATE TABLE issuance.operators (
    id          text PRIMARY KEY,
    name        text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('convenience_store', 'post_office', 'counter'))
  )`.execute(db);
  await sql`CREATE TABLE issuance.kiosks (
    id              uuid PRIMARY KEY,
    operator_id     text NOT NULL REFERENCES issuance.operators (id),
    name            text NOT NULL,
    credential_hash bytea NOT NULL UNIQUE,
    created_at      timestamptz NOT NULL
  )`.execute(db);
  // 参加団体: a municipality takes part from joined_on; koseki = its 本籍地 certificates are offered too.
  await sql`CREATE TABLE issuance.participants (
    lg_code       char(6) PRIMARY KEY,
    joined_on     date NOT NULL,
    koseki        boolean NOT NULL DEFAULT false
  )`.execute(db);
  await sql`CREATE TABLE issuance.offers (
    lg_code     char(6) NOT NULL REFERENCES issuance.participants (lg_code),
    type        text NOT NULL,
    fee_yen     integer NOT NULL CHECK (fee_yen >= 0),
    PRIMARY KEY (lg_code, type)
  )`.execute(db);
  await sql`CREATE TABLE issuance.maintenance_windows (
    id          bigserial PRIMARY KEY,
    lg_code     char(6),
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    reason      text NOT NULL
  )`.execute(db);
  // 本籍地の利用登録: the resident asked that their 本籍地 municipality be reachable from the kiosk.
  await sql`CREATE TABLE issuance.koseki_registrations (
    resident_code   char(11) PRIMARY KEY,
    honseki_lg_code char(6) NOT NULL,
    honseki         text NOT NULL,
    hittosha        text NOT NULL,
    registered_at   timestamptz NOT NULL
  )`.execute(db);
  await sql`CREATE TABLE issuance.sessions (
    id              uuid PRIMARY KEY,
    kiosk_id        uuid NOT NULL REFERENCES issuance.kiosks (id),
    challenge       bytea NOT NULL,
    status          text NOT NULL CHECK (status IN ('open', 'authenticated', 'ended')),
    resident_code   char(11),
    lg_code         char(6),
    honseki_lg_code char(6),
    certificate_serial text,
    expires_at      timestamptz NOT NULL,
    created_at      timestamptz NOT NULL
  )`.execute(db);
  await sql`CREATE TABLE issuance.orders (
    id                uuid PRIMARY KEY,
    session_id        uuid NOT NULL REFERENCES issuance.sessions (id),
    lg_code           char(6) NOT NULL,
    operator_id       text NOT NULL,
    type              text NOT NULL,
    title             text NOT NULL,
    options           jsonb NOT NULL,
    copies            integer NOT NULL CHECK (copies BETWEEN 1 AND 10),
    fee_per_copy_yen  integer NOT NULL,
    total_yen         integer NOT NULL,
    status            text NOT NULL CHECK (status IN ('ready', 'paid', 'completed')),
    paid_yen          integer,
    receipt_no        text UNIQUE,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
  )`.execute(db);
  // Documents wait here from generation to the print result, then are deleted (the centre keeps none).
  await sql`CREATE TABLE issuance.pending_documents (
    order_id      uuid NOT NULL REFERENCES issuance.orders (id),
    copy          integer NOT NULL,
    serial_number text NOT NULL,
    pdf           bytea NOT NULL,
    PRIMARY KEY (order_id, copy)
  )`.execute(db);
  // One row per printed copy: what the municipality is charged by the store operator and earns in fees.
  await sql`CREATE TABLE issuance.settlement_rows (
    id              bigserial PRIMARY KEY,
    order_id        uuid NOT NULL REFERENCES issuance.orders (id),
    copy            integer NOT NULL,
    serial_number   text NOT NULL,
    lg_code         char(6) NOT NULL,
    operator_id     text NOT NULL,
    type            text NOT NULL,
    fee_yen         integer NOT NULL,
    commission_yen  integer NOT NULL,
    month           char(7) NOT NULL,
    printed_at      timestamptz NOT NULL,
    UNIQUE (order_id, copy)
  )`.execute(db);
  await sql`CREATE INDEX settlement_month_idx ON issuance.settlement_rows (month, lg_code, operator_id)`.execute(db);
  // The centre's own secrets (its JPKI verifier credential, the payload signing key), sealed.
  await sql`CREATE TABLE issuance.secrets (
    name        text PRIMARY KEY,
    iv          bytea NOT NULL,
    sealed      bytea NOT NULL,
    public_part bytea,
    created_at  timestamptz NOT NULL
  )`.execute(db);
  await sql`CREATE TABLE issuance.refunds (
    order_id    uuid NOT NULL REFERENCES issuance.orders (id),
    copy        integer NOT NULL,
    amount_yen  integer NOT NULL,
    reason      text NOT NULL,
    at          timestamptz NOT NULL,
    PRIMARY KEY (order_id, copy)
  )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['refunds', 'secrets', 'settlement_rows', 'pending_documents', 'orders', 'sessions', 'koseki_registrations', 'maintenance_windows', 'offers', 'participants', 'kiosks', 'operators']) {
    await sql`DROP TABLE ${sql.id('issuance', table)}`.execute(db);
  }
}
