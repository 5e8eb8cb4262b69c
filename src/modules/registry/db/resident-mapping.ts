// Converts resident rows to the contract's records and back (the only place that knows both spellings).
import type { ResidentRecord, ResidentSummary } from '../contract.ts';
import type { Relationship } from '../import-row.ts';
import type { ResidentRow } from './tables.ts';

/** Full record; `householdNo` comes from the joined household. */
export function toResidentRecord(row: ResidentRow & { household_no: string }): ResidentRecord {
  return {
    id: row.id,
    lgCode: row.lg_code,
    residentCode: row.resident_code,
    individualNumber: row.individual_number,
    householdId: row.household_id,
    householdNo: row.household_no,
    relationship: row.relationship as Relationship,
    familyName: row.family_name,
    givenName: row.given_name,
    familyNameKana: row.family_name_kana,
    givenNameKana: row.given_name_kana,
    birthDate: row.birth_date,
    sex: row.sex,
    postalCode: row.postal_code,
    address: row.address,
    honseki: row.honseki,
    hittosha: row.hittosha,
    nationality: row.nationality,
    residenceStatus: row.residence_status,
    residenceExpiry: row.residence_expiry,
    residenceCardNumber: row.residence_card_number,
    aliasName: row.alias_name,
    status: row.status,
    registeredOn: row.registered_on,
    movedOutOn: row.moved_out_on,
    movedOutTo: row.moved_out_to,
    diedOn: row.died_on,
    version: row.version,
  };
}

/** Search-hit view, without the individual number. */
export function toResidentSummary(row: Pick<ResidentRow, 'id' | 'resident_code' | 'family_name' | 'given_name' | 'family_name_kana' | 'given_name_kana' | 'birth_date' | 'sex' | 'address' | 'status'> & { household_no: string }): ResidentSummary {
  return {
    id: row.id,
    residentCode: row.resident_code,
    householdNo: row.household_no,
    familyName: row.family_name,
    givenName: row.given_name,
    familyNameKana: row.family_name_kana,
    givenNameKana: row.given_name_kana,
    birthDate: row.birth_date,
    sex: row.sex,
    address: row.address,
    status: row.status,
  };
}

/** Column order used when COPYing residents (import, seed, benchmark reference). */
export const RESIDENT_COPY_COLUMNS = [
  'id', 'lg_code', 'resident_code', 'individual_number', 'number_generation', 'household_id', 'relationship',
  'family_name', 'given_name', 'family_name_kana', 'given_name_kana', 'birth_date', 'sex', 'postal_code', 'address',
  'honseki', 'hittosha', 'nationality', 'residence_status', 'residence_expiry', 'residence_card_number', 'alias_name',
  'status', 'registered_on', 'version', 'created_at', 'updated_at',
] as const;

export const HOUSEHOLD_COPY_COLUMNS = ['id', 'lg_code', 'household_no', 'address', 'postal_code', 'created_at'] as const;
