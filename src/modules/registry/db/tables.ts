// Kysely table types of the registry schema (mirrors migrations/; the migrations stay the source of truth).
import type { ColumnType, Generated, Kysely, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** `date` columns come back as 'YYYY-MM-DD' strings on both drivers (kernel/db/database.ts). */
type DateString = string;

export interface MunicipalitiesTable {
  lg_code: string;
  name: string;
  name_kana: string;
  prefecture: string;
  population: number;
  created_at: Timestamp;
}

export interface ApiKeysTable {
  id: string;
  lg_code: string;
  staff_name: string;
  key_hash: string;
  created_at: Timestamp;
  revoked_at: Timestamp | null;
}

export interface HouseholdsTable {
  id: string;
  lg_code: string;
  household_no: string;
  address: string;
  postal_code: string;
  created_at: Timestamp;
}

export interface ResidentsTable {
  id: string;
  lg_code: string;
  resident_code: string;
  individual_number: string;
  number_generation: number;
  household_id: string;
  relationship: string;
  family_name: string;
  given_name: string;
  family_name_kana: string;
  given_name_kana: string;
  birth_date: DateString;
  sex: 'male' | 'female';
  postal_code: string;
  address: string;
  honseki: string | null;
  hittosha: string | null;
  nationality: string | null;
  residence_status: string | null;
  residence_expiry: DateString | null;
  residence_card_number: string | null;
  alias_name: string | null;
  status: 'active' | 'moving_out' | 'moved_out' | 'deceased';
  registered_on: DateString;
  moved_out_on: DateString | null;
  moved_out_to: string | null;
  died_on: DateString | null;
  version: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RetiredIndividualNumbersTable {
  individual_number: string;
  resident_code: string;
  generation: number;
  retired_at: Timestamp;
  reason: string;
}

export interface ResidentEventsTable {
  id: Generated<number>;
  lg_code: string;
  resident_id: string;
  kind: string;
  occurred_on: DateString;
  recorded_at: Timestamp;
  staff: string;
  before: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  after: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  note: string | null;
}

export interface OutboxTable {
  id: Generated<number>;
  topic: string;
  lg_code: string;
  resident_code: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  created_at: Timestamp;
  consumed_at: Timestamp | null;
}

export interface SealRegistrationsTable {
  id: string;
  lg_code: string;
  resident_id: string;
  registration_no: string;
  image: Uint8Array;
  image_type: string;
  status: 'registered' | 'abolished';
  registered_on: DateString;
  abolished_on: DateString | null;
}

export interface TaxRecordsTable {
  id: string;
  lg_code: string;
  resident_id: string;
  fiscal_year: number;
  income_yen: number;
  tax_yen: number;
}

export interface FamilyRegistersTable {
  id: string;
  lg_code: string;
  honseki: string;
  hittosha: string;
  created_at: Timestamp;
}

export interface FamilyRegisterMembersTable {
  family_register_id: string;
  position: number;
  family_name: string;
  given_name: string;
  birth_date: DateString;
  sex: 'male' | 'female';
  relationship: string;
  resident_code: string | null;
}

/** The registry schema as Kysely sees it (table names qualified by schema). */
export interface RegistryTables {
  'registry.municipalities': MunicipalitiesTable;
  'registry.api_keys': ApiKeysTable;
  'registry.code_sequence': { id: number; next: number };
  'registry.numbering_key': { id: number; key: Uint8Array };
  'registry.households': HouseholdsTable;
  'registry.residents': ResidentsTable;
  'registry.retired_individual_numbers': RetiredIndividualNumbersTable;
  'registry.resident_events': ResidentEventsTable;
  'registry.outbox': OutboxTable;
  'registry.seal_registrations': SealRegistrationsTable;
  'registry.tax_records': TaxRecordsTable;
  'registry.family_registers': FamilyRegistersTable;
  'registry.family_register_members': FamilyRegisterMembersTable;
}

export type RegistryDb = Kysely<RegistryTables>;
export type ResidentRow = Selectable<ResidentsTable>;
