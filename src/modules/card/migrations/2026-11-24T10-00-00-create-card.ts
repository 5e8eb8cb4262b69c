// The card schema: applications (交付申請), cards (the municipality's and J-LIS's records), virtual chips, and the card history.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE card.applications (
    id                   uuid PRIMARY KEY,
    lg_code              char(6) NOT NULL,
    resident_code        char(11) NOT NULL,
    channel              text NOT NULL CHECK (channel IN ('mail', 'online', 'visit_at_application', 'employer_batch', 'mobile_counter')),
    status               text NOT NULL CHECK (status IN ('received', 'produced', 'completed', 'cancelled')),
    photo                bytea,
    photo_type           text,
    identity_checked     jsonb,
    employer             jsonb,
    place                text,
    renewal_of           uuid,
    -- 申請時来庁方式: the PINs set at the application visit, sealed, erased once written to the chip.
    pins_iv              bytea,
    pins_sealed          bytea,
    -- The card id reserved when production starts: a retry after a crash finds it (and revokes what it left).
    production_card_id   uuid,
    card_id              uuid,
    received_at          timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL
  )`.execute(db);
  // At most one open application per person.
  await sql`CREATE UNIQUE INDEX applications_open_idx ON card.applications (resident_code) WHERE status IN ('received', 'produced')`.execute(db);
  await sql`CREATE INDEX applications_lg_idx ON card.applications (lg_code, received_at)`.execute(db);

  await sql`CREATE TABLE card.cards (
    id                      uuid PRIMARY KEY,
    serial                  text NOT NULL UNIQUE,
    lg_code                 char(6) NOT NULL,
    resident_code           char(11) NOT NULL,
    application_id          uuid NOT NULL REFERENCES card.applications (id),
    status                  text NOT NULL CHECK (status IN ('produced', 'active', 'suspended', 'invalid')),
    invalid_reason          text,
    issued_on               date NOT NULL,
    expires_on              date NOT NULL,
    handed_over_at          timestamptz,
    auth_certificate_id     uuid,
    sign_certificate_id     uuid,
    attributes_outdated     boolean NOT NULL DEFAULT false,
    replaces_card_id        uuid,
    demo                    boolean NOT NULL DEFAULT false,
    created_at              timestamptz NOT NULL,
    updated_at              timestamptz NOT NULL
  )`.execute(db);
  await sql`CREATE INDEX cards_resident_idx ON card.cards (resident_code, created_at)`.execute(db);
  await sql`CREATE INDEX cards_lg_idx ON card.cards (lg_code, status)`.execute(db);

  // The virtual chips (the platform holds them for demo and test residents): public files as JSON,
  // PIN values and private keys sealed.
  await sql`CREATE TABLE card.chips (
    card_id      uuid PRIMARY KEY REFERENCES card.cards (id),
    image        jsonb NOT NULL,
    secrets_iv   bytea NOT NULL,
    secrets      bytea NOT NULL,
    updated_at   timestamptz NOT NULL
  )`.execute(db);

  await sql`CREATE TABLE card.events (
    id          bigserial PRIMARY KEY,
    card_id     uuid,
    application_id uuid,
    kind        text NOT NULL,
    actor       text NOT NULL,
    detail      jsonb NOT NULL DEFAULT '{}',
    at          timestamptz NOT NULL
  )`.execute(db);
  await sql`CREATE INDEX events_card_idx ON card.events (card_id, id)`.execute(db);

  // The key that signs the card-face data (券面事項入力補助AP / 券面AP signatures), sealed.
  await sql`CREATE TABLE card.issuer_keys (
    purpose      text PRIMARY KEY,
    public_spki  bytea NOT NULL,
    iv           bytea NOT NULL,
    sealed       bytea NOT NULL,
    created_at   timestamptz NOT NULL
  )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['issuer_keys', 'events', 'chips', 'cards', 'applications']) {
    await sql`DROP TABLE ${sql.id('card', table)}`.execute(db);
  }
}
