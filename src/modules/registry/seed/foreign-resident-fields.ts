// The foreign-resident fields of the 住民票: 国籍, 在留資格 and its expiry, 在留カード number and 通称.
import type { ResidentImportRow } from '../import-row.ts';
import { isoOf, yearOf } from './calendar.ts';
import { ALIAS_SURNAMES, pickGivenName } from './name-data.ts';
import { IDEOGRAPHIC_SPACE, type Person } from './person.ts';
import type { Prng } from './prng.ts';
import { profileOf } from './residence-status-profiles.ts';
import type { RunState } from './run-state.ts';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function twoLetters(prng: Prng): string {
  return `${LETTERS[prng.int(0, 25)]}${LETTERS[prng.int(0, 25)]}`;
}

/** A 在留カード番号 in the card's format (two letters, eight digits, two letters), never issued twice in a run. */
function uniqueCardNumber(state: RunState): string {
  const { prng } = state;
  for (;;) {
    const number = `${twoLetters(prng)}${String(prng.int(0, 99_999_999)).padStart(8, '0')}${twoLetters(prng)}`;
    if (!state.cardNumbers.has(number)) {
      state.cardNumbers.add(number);
      return number;
    }
  }
}

export type ForeignFields = Pick<ResidentImportRow, 'nationality' | 'residenceStatus' | 'residenceExpiry' | 'residenceCardNumber' | 'aliasName'>;

/** 国籍, 在留資格, its expiry, the card number and a 通称 for the foreign members. */
export function assignForeignFields(state: RunState, people: Person[]): ForeignFields[] {
  const { prng, ref } = state;
  const none: ForeignFields = { nationality: null, residenceStatus: null, residenceExpiry: null, residenceCardNumber: null, aliasName: null };
  if (people.every((p) => p.draft.foreign === null)) return people.map(() => none);
  // Dependants on 家族滞在 may stay exactly as long as the head who sponsors them.
  const sponsor = people[0]!.draft.foreign;
  const sponsorYears = sponsor ? profileOf(sponsor.status).periodYears : null;
  const sponsorExpiry = sponsorYears === null ? null : ref.day + prng.int(1, sponsorYears * 365);
  // 特別永住者 families commonly share one Japanese-style 通称 surname.
  const aliasSurname = prng.chance(0.55) ? prng.pick(ALIAS_SURNAMES) : null;
  const householdSurname = people[0]!.family[0];

  return people.map((p, i) => {
    const f = p.draft.foreign;
    if (!f) return none;
    let expiryDay: number | null;
    if (f.status === '永住者' || f.status === '特別永住者') expiryDay = null;
    else if (i === 0 || f.status === '家族滞在') expiryDay = sponsorExpiry ?? ref.day + prng.int(1, 3 * 365);
    else expiryDay = ref.day + prng.int(1, (profileOf(f.status).periodYears ?? 3) * 365);

    let aliasName: string | null = null;
    if (f.status === '特別永住者' && aliasSurname) {
      aliasName = `${aliasSurname}${IDEOGRAPHIC_SPACE}${pickGivenName(prng, p.draft.sex, yearOf(p.birthDay))[0]}`;
    } else if (p.draft.relationship === '妻' && !people[0]!.draft.foreign && prng.chance(0.6)) {
      // A foreign wife of a Japanese head often uses his surname as her 通称.
      aliasName = `${householdSurname}${IDEOGRAPHIC_SPACE}${f.nationality.script === 'kanji' ? p.given[0] : p.given[1]}`;
    }
    return {
      nationality: f.nationality.nationality,
      residenceStatus: f.status,
      residenceExpiry: expiryDay === null ? null : isoOf(expiryDay),
      residenceCardNumber: uniqueCardNumber(state),
      aliasName,
    };
  });
}
