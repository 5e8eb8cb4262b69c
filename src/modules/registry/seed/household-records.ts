// Turns a composed household into its records: names, dates and address of each member, plus seals, taxes and the family register.
import type { ResidentImportRow } from '../import-row.ts';
import { assignBirthDays } from './birth-days.ts';
import { isoOf, yearOf } from './calendar.ts';
import { assignKoseki, type SyntheticFamilyRegister } from './family-register.ts';
import { assignForeignFields } from './foreign-resident-fields.ts';
import type { Shape } from './household-draft.ts';
import { pickGivenName, pickSurname, type NameEntry } from './name-data.ts';
import { IDEOGRAPHIC_SPACE, type Person } from './person.ts';
import type { Prng } from './prng.ts';
import { assignRegisteredDays } from './registration-dates.ts';
import { taxesFor, type SyntheticTax } from './resident-tax.ts';
import type { RunState } from './run-state.ts';
import { sealsFor, type SyntheticSeal } from './seals.ts';

/** One generated 世帯 with the data attached to its members. */
export interface SyntheticHousehold {
  /** Head (世帯主) first; all share householdKey, address and postal code. */
  members: ResidentImportRow[];
  seals: SyntheticSeal[];
  taxes: SyntheticTax[];
  familyRegister: SyntheticFamilyRegister | null;
}

/** A Japanese surname other than `avoid` (for in-laws and lodgers). */
function otherSurname(prng: Prng, avoid: NameEntry): NameEntry {
  let candidate = pickSurname(prng);
  for (let i = 0; i < 5 && candidate[0] === avoid[0]; i++) candidate = pickSurname(prng);
  return candidate;
}

/**
 * Turns a composed household into registry rows plus seals, taxes and the family register.
 * The steps draw from one random stream, so their order is part of the output: reordering them
 * changes every household generated from a given seed.
 */
export function materialize(state: RunState, shape: Shape, householdKey: string): SyntheticHousehold {
  const { prng, ref, book } = state;
  const head = shape.members[0]!;
  const foreignHousehold = head.foreign !== null;
  const householdSurname = foreignHousehold ? prng.pick(head.foreign!.nationality.surnames) : pickSurname(prng);
  let wifeFamily: NameEntry | null = null;
  const usedGiven = new Set<string>();

  const births = assignBirthDays(prng, ref, shape.members);
  const people: Person[] = shape.members.map((d, index) => {
    const birthDay = births[index]!;
    let family: NameEntry;
    if (d.line === 'household') family = householdSurname;
    else if (d.line === 'wifeFamily') family = wifeFamily ??= otherSurname(prng, householdSurname);
    else family = d.foreign ? prng.pick(d.foreign.nationality.surnames) : otherSurname(prng, householdSurname);
    let given: NameEntry = ['', ''];
    // Two members of one household rarely share a given name; a few redraws make it unlikely.
    for (let i = 0; i < 5 && (i === 0 || usedGiven.has(given[0])); i++) {
      given = d.foreign ? prng.pick(d.foreign.nationality[d.sex]) : pickGivenName(prng, d.sex, yearOf(birthDay));
    }
    usedGiven.add(given[0]);
    return { draft: d, birthDay, family, given, registeredDay: 0, fullName: `${family[0]}${IDEOGRAPHIC_SPACE}${given[0]}` };
  });

  assignRegisteredDays(state, people, foreignHousehold);
  const apartmentShare = (people.length === 1 ? 0.7 : people.length === 2 ? 0.45 : people.length <= 4 ? 0.33 : 0.12) + (foreignHousehold ? 0.2 : 0);
  const { postalCode, address } = book.residence(prng, prng.chance(apartmentShare));

  const honseki: (string | null)[] = people.map(() => null);
  const hittosha: (string | null)[] = people.map(() => null);
  const familyRegister = foreignHousehold ? null : assignKoseki(state, shape, people, householdSurname, honseki, hittosha);
  const foreignFields = assignForeignFields(state, people);

  const members: ResidentImportRow[] = people.map((p, i) => ({
    householdKey,
    relationship: p.draft.relationship,
    familyName: p.family[0],
    givenName: p.given[0],
    familyNameKana: p.family[1],
    givenNameKana: p.given[1],
    birthDate: isoOf(p.birthDay),
    sex: p.draft.sex,
    postalCode,
    address,
    honseki: honseki[i] ?? null,
    hittosha: hittosha[i] ?? null,
    ...foreignFields[i]!,
    registeredOn: isoOf(p.registeredDay),
  }));

  return { members, seals: sealsFor(state, people), taxes: taxesFor(state, people), familyRegister };
}
