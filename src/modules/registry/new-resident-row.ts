// Builds the row of someone who enters the register with a new 住民票コード and a first individual number (出生, 転入 from outside).
import { randomUUID } from 'node:crypto';
import type { NewPersonInput } from './contract.ts';
import type { RegistryDb, ResidentRow } from './db/tables.ts';
import type { NumberingKeys } from './numbering.ts';
import { individualNumbersFor, residentCodesFromSequence } from './numbering.ts';
import { reserveResidentCodeSequence } from './load-numbering-keys.ts';

/** Numbers the person (one sequence number reserved inside `tx`) and places them in the household. */
export async function newResidentRow(
  tx: RegistryDb,
  keys: NumberingKeys,
  input: { lgCode: string; person: NewPersonInput; household: { id: string; address: string; postal_code: string }; relationship: string; registeredOn: string; now: Date },
): Promise<ResidentRow> {
  const sequence = await reserveResidentCodeSequence(tx, 1);
  const [code] = residentCodesFromSequence(keys, sequence, 1) as [string];
  const [number] = individualNumbersFor(keys, [code], 0) as [string];
  const { person, household, now } = input;
  return {
    id: randomUUID(), lg_code: input.lgCode, resident_code: code, individual_number: number, number_generation: 0,
    household_id: household.id, relationship: input.relationship,
    family_name: person.familyName, given_name: person.givenName, family_name_kana: person.familyNameKana, given_name_kana: person.givenNameKana,
    birth_date: person.birthDate, sex: person.sex, postal_code: household.postal_code, address: household.address,
    honseki: person.honseki, hittosha: person.hittosha, nationality: person.nationality,
    residence_status: person.residenceStatus, residence_expiry: person.residenceExpiry,
    residence_card_number: person.residenceCardNumber, alias_name: person.aliasName,
    status: 'active', registered_on: input.registeredOn, moved_out_on: null, moved_out_to: null, died_on: null,
    version: 1, created_at: now, updated_at: now,
  };
}
