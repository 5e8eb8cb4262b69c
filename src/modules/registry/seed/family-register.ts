// 本籍 and 筆頭者 of Japanese members, and the summary of the head's 戸籍 when it is kept in this municipality.
import { yearOf } from './calendar.ts';
import type { Shape } from './household-draft.ts';
import { pickGivenName, type NameEntry } from './name-data.ts';
import { IDEOGRAPHIC_SPACE, type Person } from './person.ts';
import type { Prng } from './prng.ts';
import type { RunState } from './run-state.ts';

/** The 戸籍 of the household head, when its 本籍 is in this municipality. */
export interface SyntheticFamilyRegister {
  honseki: string;
  /** Full name of the 筆頭者 (`氏　名`); may be someone not living in the household (e.g. a late husband). */
  hittosha: string;
  /** Household members recorded in this 戸籍, 筆頭者 first, with their 戸籍 relationship (筆頭者, 妻, 長男, 二女 …). */
  members: { memberIndex: number; relationship: string }[];
}

/** Share of Japanese households whose head's 本籍 is in the municipality itself. */
const LOCAL_HONSEKI_SHARE = 0.45;

const MALE_ORDINALS = ['長男', '二男', '三男', '四男', '五男', '六男'];
const FEMALE_ORDINALS = ['長女', '二女', '三女', '四女', '五女', '六女'];

/** The name of a man who is 筆頭者 but does not live here (a father, a late husband). */
function absentMan(prng: Prng, family: NameEntry, birthYear: number): string {
  return `${family[0]}${IDEOGRAPHIC_SPACE}${pickGivenName(prng, 'male', birthYear)[0]}`;
}

/** Sort key of 戸籍 relationships: 筆頭者, then the spouse, then children. */
function kosekiOrder(term: string): number {
  return term === '筆頭者' ? 0 : term === '妻' || term === '夫' ? 1 : 2;
}

/**
 * Fills 本籍 and 筆頭者 of Japanese members and returns the head's 戸籍 when its 本籍 is local.
 * Each 戸籍 holds one couple and their unmarried children, so parents living with the head, a
 * married son's family and lodgers belong to other 戸籍 (often at the same 本籍 for relatives).
 */
export function assignKoseki(
  state: RunState, shape: Shape, people: Person[], surname: NameEntry,
  honseki: (string | null)[], hittosha: (string | null)[],
): SyntheticFamilyRegister | null {
  const { prng, book } = state;
  const head = people[0]!;
  const headYear = yearOf(head.birthDay);
  const inHeadKoseki = people.filter((p) => p.draft.koseki === 'head' && p.draft.foreign === null);

  let registrar: Person | null = null;
  let registrarName: string;
  switch (shape.mode) {
    case 'self': registrar = head; registrarName = head.fullName; break;
    case 'husband': registrar = people.find((p) => p.draft.relationship === '夫') ?? head; registrarName = registrar.fullName; break;
    case 'lateHusband': registrarName = absentMan(prng, surname, headYear - prng.int(0, 6)); break;
    default: registrarName = absentMan(prng, surname, headYear - prng.int(24, 38)); break;
  }

  const local = prng.chance(LOCAL_HONSEKI_SHARE);
  let place = book.honseki(prng, local);
  // A 戸籍 is identified by 本籍 and 筆頭者; redraw the lot number on the (rare) clash.
  while (state.registers.has(`${place}\u0000${registrarName}`)) place = book.honseki(prng, local);
  state.registers.add(`${place}\u0000${registrarName}`);

  const relationships = new Map<Person, string>();
  if (registrar) relationships.set(registrar, '筆頭者');
  if (shape.mode === 'lateHusband') relationships.set(head, '妻');
  if (registrar) {
    const spouse = inHeadKoseki.find((p) => p !== registrar && ['世帯主', '妻', '夫'].includes(p.draft.relationship) && p.draft.sex !== registrar.draft.sex);
    if (spouse) relationships.set(spouse, spouse.draft.sex === 'female' ? '妻' : '夫');
  }
  // Children of the 筆頭者 are numbered by sex in birth order; when the head is an adult child
  // in the father's 戸籍, an older sibling may have married out, so numbering may start later.
  const offspring = inHeadKoseki.filter((p) => !relationships.has(p)).sort((x, y) => x.birthDay - y.birthDay);
  const next = { male: shape.mode === 'father' && prng.chance(0.3) ? 1 : 0, female: shape.mode === 'father' && prng.chance(0.3) ? 1 : 0 };
  for (const p of offspring) {
    const ordinals = p.draft.sex === 'male' ? MALE_ORDINALS : FEMALE_ORDINALS;
    relationships.set(p, ordinals[Math.min(next[p.draft.sex]++, ordinals.length - 1)]!);
  }

  let parentsPlace: string | null = null;
  let parentsName: string | null = null;
  let wifeParentsPlace: string | null = null;
  let wifeParentsName: string | null = null;
  let sonPlace: string | null = null;
  const son = people.find((p) => p.draft.koseki === 'childFamily' && p.draft.relationship === '子');

  people.forEach((p, i) => {
    if (p.draft.foreign) return;
    switch (p.draft.koseki) {
      case 'head':
        honseki[i] = place;
        hittosha[i] = registrarName;
        break;
      case 'parents':
        honseki[i] = parentsPlace ??= prng.chance(0.7) ? place : book.honseki(prng, prng.chance(LOCAL_HONSEKI_SHARE));
        hittosha[i] = parentsName ??= people.find((q) => q.draft.relationship === '父')?.fullName
          ?? absentMan(prng, surname, headYear - prng.int(25, 35));
        break;
      case 'wifeParents': {
        const father = people.find((q) => q.draft.relationship === '妻の父');
        honseki[i] = wifeParentsPlace ??= book.honseki(prng, prng.chance(LOCAL_HONSEKI_SHARE));
        hittosha[i] = wifeParentsName ??= father ? father.fullName : absentMan(prng, p.family, yearOf(p.birthDay) - prng.int(0, 6));
        break;
      }
      case 'childFamily':
        honseki[i] = sonPlace ??= prng.chance(0.6) ? place : book.honseki(prng, prng.chance(LOCAL_HONSEKI_SHARE));
        hittosha[i] = son ? son.fullName : registrarName;
        break;
      default:
        honseki[i] = book.honseki(prng, prng.chance(LOCAL_HONSEKI_SHARE));
        hittosha[i] = yearOf(state.ref.day) - yearOf(p.birthDay) >= 30 && prng.chance(0.5)
          ? p.fullName
          : absentMan(prng, p.family, yearOf(p.birthDay) - prng.int(24, 38));
    }
  });

  if (!book.isLocal(place)) return null;
  const members = [...relationships]
    .map(([p, relationship]) => ({ memberIndex: people.indexOf(p), relationship, birthDay: p.birthDay }))
    .sort((x, y) => kosekiOrder(x.relationship) - kosekiOrder(y.relationship) || x.birthDay - y.birthDay)
    .map(({ memberIndex, relationship }) => ({ memberIndex, relationship }));
  return { honseki: place, hittosha: registrarName, members };
}
