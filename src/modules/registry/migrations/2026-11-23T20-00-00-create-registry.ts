// The registry schema: municipalities (tenants), staff API keys, households, residents, their
// history, numbering, seal registrations, tax records, family-register summaries and the outbox.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`CREATE TABLE registry.municipalities (
      lg_code     char(6) PRIMARY KEY,
      name        text NOT NULL,
      name_kana   text NOT NULL,
      prefecture  text NOT NULL,
      population  integer NOT NULL CHECK (population >= 0),
      created_at  timestamptz NOT NULL
    )`,
    sql`CREATE TABLE registry.api_keys (
      id          uuid PRIMARY KEY,
      lg_code     char(6) NOT NULL REFERENCES registry.municipalities (lg_code),
      staff_name  text NOT NULL,
      key_hash    char(64) NOT NULL UNIQUE,
      created_at  timestamptz NOT NULL,
      revoked_at  timestamptz
    )`,
    // One row: the next sequence number behind 住民票コード assignment (a keyed permutation of it).
    sql`CREATE TABLE registry.code_sequence (
      id   smallint PRIMARY KEY CHECK (id = 1),
      next bigint NOT NULL
    )`,
    sql`INSERT INTO registry.code_sequence (id, next) VALUES (1, 0)`,
    // The numbering master key when none is configured (MYNA_NUMBERING_KEY); see docs/config.md.
    sql`CREATE TABLE registry.numbering_key (
      id   smallint PRIMARY KEY CHECK (id = 1),
      key  bytea NOT NULL
    )`,
    // NOTE: households and residents are bulk-loaded (a million rows per import), so they carry no
    // foreign keys: a per-row referential check was a third of a COPY's time. The import checks
    // the municipality once and assigns household ids itself; use cases lock and check rows.
    sql`CREATE TABLE registry.households (
      id            uuid PRIMARY KEY,
      lg_code       char(6) NOT NULL,
      household_no  text NOT NULL,
      address       text NOT NULL,
      postal_code   char(7) NOT NULL,
      created_at    timestamptz NOT NULL,
      UNIQUE (lg_code, household_no)
    )`,
    sql`CREATE TABLE registry.residents (
      id                    uuid PRIMARY KEY,
      lg_code               char(6) NOT NULL,
      resident_code         char(11) NOT NULL,
      individual_number     char(12) NOT NULL,
      number_generation     smallint NOT NULL DEFAULT 0,
      household_id          uuid NOT NULL,
      relationship          text NOT NULL,
      family_name           text NOT NULL,
      given_name            text NOT NULL,
      family_name_kana      text NOT NULL,
      given_name_kana       text NOT NULL,
      birth_date            date NOT NULL,
      sex                   text NOT NULL CHECK (sex IN ('male', 'female')),
      postal_code           char(7) NOT NULL,
      address               text NOT NULL,
      honseki               text,
      hittosha              text,
      nationality           text,
      residence_status      text,
      residence_expiry      date,
      residence_card_number text,
      alias_name            text,
      status                text NOT NULL CHECK (status IN ('active', 'moving_out', 'moved_out', 'deceased')),
      registered_on         date NOT NULL,
      moved_out_on          date,
      moved_out_to          text,
      died_on               date,
      version               integer NOT NULL DEFAULT 1,
      created_at            timestamptz NOT NULL,
      updated_at            timestamptz NOT NULL
    )`,
    // A person is registered (or pending 転出) in one municipality at a time, deployment-wide.
    sql`CREATE UNIQUE INDEX residents_current_code_uq ON registry.residents (resident_code) WHERE status IN ('active', 'moving_out')`,
    sql`CREATE UNIQUE INDEX residents_current_number_uq ON registry.residents (individual_number) WHERE status IN ('active', 'moving_out')`,
    // COLLATE "C": katakana sort in code-point (gojūon) order, and a prefix LIKE can use the index.
    sql`CREATE INDEX residents_lg_kana_idx ON registry.residents (lg_code, family_name_kana COLLATE "C", given_name_kana COLLATE "C")`,
    sql`CREATE INDEX residents_household_idx ON registry.residents (household_id)`,
    // Numbers replaced after a leak (番号法 第7条第2項). Numbers are unique by construction
    // (numbering.ts), so this is history for the person and the audit, not a uniqueness guard.
    sql`CREATE TABLE registry.retired_individual_numbers (
      individual_number char(12) PRIMARY KEY,
      resident_code     char(11) NOT NULL,
      generation        smallint NOT NULL,
      retired_at        timestamptz NOT NULL,
      reason            text NOT NULL,
      UNIQUE (resident_code, generation)
    )`,
    sql`CREATE TABLE registry.resident_events (
      id           bigserial PRIMARY KEY,
      lg_code      char(6) NOT NULL,
      resident_id  uuid NOT NULL REFERENCES registry.residents (id),
      kind         text NOT NULL,
      occurred_on  date NOT NULL,
      recorded_at  timestamptz NOT NULL,
      staff        text NOT NULL,
      before       jsonb,
      after        jsonb,
      note         text
    )`,
    sql`CREATE INDEX resident_events_resident_idx ON registry.resident_events (resident_id, id)`,
    // Changes other modules must act on (JPKI revokes a signing certificate when one of the
    // 4 basic attributes changes, or on death). Consumers mark rows consumed.
    sql`CREATE TABLE registry.outbox (
      id            bigserial PRIMARY KEY,
      topic         text NOT NULL,
      lg_code       char(6) NOT NULL,
      resident_code char(11) NOT NULL,
      payload       jsonb NOT NULL,
      created_at    timestamptz NOT NULL,
      consumed_at   timestamptz
    )`,
    sql`CREATE INDEX outbox_pending_idx ON registry.outbox (id) WHERE consumed_at IS NULL`,
    sql`CREATE TABLE registry.seal_registrations (
      id               uuid PRIMARY KEY,
      lg_code          char(6) NOT NULL,
      resident_id      uuid NOT NULL REFERENCES registry.residents (id),
      registration_no  text NOT NULL,
      image            bytea NOT NULL,
      image_type       text NOT NULL,
      status           text NOT NULL CHECK (status IN ('registered', 'abolished')),
      registered_on    date NOT NULL,
      abolished_on     date,
      UNIQUE (lg_code, registration_no)
    )`,
    sql`CREATE UNIQUE INDEX seal_one_active_uq ON registry.seal_registrations (resident_id) WHERE status = 'registered'`,
    sql`CREATE TABLE registry.tax_records (
      id           uuid PRIMARY KEY,
      lg_code      char(6) NOT NULL,
      resident_id  uuid NOT NULL REFERENCES registry.residents (id),
      fiscal_year  integer NOT NULL,
      income_yen   bigint NOT NULL CHECK (income_yen >= 0),
      tax_yen      bigint NOT NULL CHECK (tax_yen >= 0),
      UNIQUE (resident_id, fiscal_year)
    )`,
    sql`CREATE TABLE registry.family_registers (
      id          uuid PRIMARY KEY,
      lg_code     char(6) NOT NULL REFERENCES registry.municipalities (lg_code),
      honseki     text NOT NULL,
      hittosha    text NOT NULL,
      created_at  timestamptz NOT NULL,
      UNIQUE (lg_code, honseki, hittosha)
    )`,
    sql`CREATE TABLE registry.family_register_members (
      family_register_id uuid NOT NULL REFERENCES registry.family_registers (id),
      position           integer NOT NULL,
      family_name        text NOT NULL,
      given_name         text NOT NULL,
      birth_date         date NOT NULL,
      sex                text NOT NULL CHECK (sex IN ('male', 'female')),
      relationship       text NOT NULL,
      resident_code      char(11),
      PRIMARY KEY (family_register_id, position)
    )`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP SCHEMA registry CASCADE`.execute(db);
}
