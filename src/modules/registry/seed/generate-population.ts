// Generates a synthetic municipality's population, household by household, deterministically from a seed.
//
// Each household is built around one "anchor" person whose sex and age are drawn against the
// national age/sex table, corrected for what has been produced so far; the other members follow
// from family logic (spouses of similar age, children born to parents aged 18–45/55, …). The
// running correction is what keeps the whole population on the national distribution even though
// most people are placed by family rules rather than drawn independently.
import type { Relationship, ResidentImportRow, Sex } from '../import-row.ts';
import { AGE_BANDS, MAX_AGE, bandIndexOfAge, bandShare } from './age-sex-distribution.ts';
import { createAddressBook, type AddressBook } from './address-data.ts';
import {
  ALIAS_SURNAMES, SPOUSE_NATIONALITY_WEIGHTS, nationalityNamed, pickGivenName, pickNationality, pickSurname,
  type ForeignNationality, type NameEntry, type ResidenceStatus,
} from './name-data.ts';
import { Prng, cumulative } from './prng.ts';

/** What to generate. */
export interface GenerateOptions {
  /** 全国地方公共団体コード of the municipality (seeds postal codes and the random stream). */
  lgCode: string;
  /** e.g. 三鷹市, or 横浜市青葉区 for a ward. */
  municipalityName: string;
  /** e.g. 東京都. */
  prefecture: string;
  /** Exact number of people to produce. */
  residents: number;
  /** Any string; the same options always give the same people. */
  seed: string;
  /** The reference date `YYYY-MM-DD`: ages are counted on it and no date lies after it. */
  asOf: string;
}

/** A 印鑑登録 of one member. */
export interface SyntheticSeal {
  memberIndex: number;
  /** 登録番号, unique within the run (one run = one municipality). */
  registrationNo: string;
  /** A small SVG of a red round seal with the surname written vertically. */
  imageSvg: string;
  registeredOn: string;
}

/** One member's 所得 and 住民税 for a 年度, integer yen. */
export interface SyntheticTax {
  memberIndex: number;
  fiscalYear: number;
  incomeYen: number;
  taxYen: number;
}

/** The 戸籍 of the household head, when its 本籍 is in this municipality. */
export interface SyntheticFamilyRegister {
  honseki: string;
  /** Full name of the 筆頭者 (`氏　名`); may be someone not living in the household (e.g. a late husband). */
  hittosha: string;
  /** Household members recorded in this 戸籍, 筆頭者 first, with their 戸籍 relationship (筆頭者, 妻, 長男, 二女 …). */
  members: { memberIndex: number; relationship: string }[];
}

/** One generated 世帯 with the data attached to its members. */
export interface SyntheticHousehold {
  /** Head (世帯主) first; all share householdKey, address and postal code. */
  members: ResidentImportRow[];
  seals: SyntheticSeal[];
  taxes: SyntheticTax[];
  familyRegister: SyntheticFamilyRegister | null;
}

/** Share of foreign residents (外国人住民) in the population, close to the national figure. */
export const FOREIGN_RESIDENT_SHARE = 0.023;

/** Share of Japanese households whose head's 本籍 is in the municipality itself. */
const LOCAL_HONSEKI_SHARE = 0.45;

/** 住民税 所得割 basic deduction (基礎控除) in yen. */
export const BASIC_DEDUCTION_YEN = 430_000;

// ───────────────────────────── calendar ─────────────────────────────
// Dates are handled as whole days since 1970-01-01, converted with Howard Hinnant's civil-calendar
// algorithms: exact integer arithmetic, and several times faster than going through Date objects,
// which matters at a few dates per person over 100,000 people.

/** Days since 1970-01-01 of a date; a day past the month's end rolls over (29 Feb 2023 → 1 Mar). */
function dayOf(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** The [year, month, day] of a day number (inverse of dayOf). */
function civil(dayNumber: number): [number, number, number] {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, dayOfYear - Math.floor((153 * mp + 2) / 5) + 1];
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Like dayOf, but 29 February of a common year becomes the 28th (not 1 March). */
function dayOfClamped(year: number, month: number, day: number): number {
  return dayOf(year, month, month === 2 && day === 29 && !isLeapYear(year) ? 28 : day);
}

function isoOf(dayNumber: number): string {
  const [y, m, d] = civil(dayNumber);
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

function yearOf(dayNumber: number): number {
  return civil(dayNumber)[0];
}

/** The day someone born on `dayNumber` turns `years` old (a 29 February birthday falls on 1 March). */
function anniversary(dayNumber: number, years: number): number {
  const [y, m, d] = civil(dayNumber);
  return dayOf(y + years, m, d);
}

interface ReferenceDate {
  year: number;
  month: number;
  date: number;
  day: number;
}

function parseAsOf(iso: string): ReferenceDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const [year, month, date] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [NaN, NaN, NaN];
  if (!m || isoOf(dayOf(year, month, date)) !== iso) throw new RangeError(`asOf must be a real date YYYY-MM-DD, got "${iso}"`);
  return { year, month, date, day: dayOf(year, month, date) };
}

/** The first and last possible birth day of someone exactly `age` years old on the reference date. */
function birthWindow(ref: ReferenceDate, age: number): [number, number] {
  return [dayOfClamped(ref.year - age - 1, ref.month, ref.date) + 1, dayOfClamped(ref.year - age, ref.month, ref.date)];
}

// ───────────────────────────── age/sex quota ─────────────────────────────

const SEXES: readonly Sex[] = ['male', 'female'];

/**
 * Draws ages so that the produced population tracks the national table: each band's weight is
 * its national share times a correction that grows when the band is behind its expected count
 * and shrinks when it is ahead.
 */
class AgeSexQuota {
  private readonly share: number[] = [];
  private readonly counts: number[] = [];
  private total = 0;

  constructor(private readonly prng: Prng) {
    for (const sex of SEXES) AGE_BANDS.forEach((_, i) => { this.share.push(bandShare(i, sex)); this.counts.push(0); });
  }

  private cell(sex: Sex, band: number): number {
    return (sex === 'male' ? 0 : AGE_BANDS.length) + band;
  }

  private weight(cell: number): number {
    const share = this.share[cell] as number;
    // The slack keeps early draws close to the plain table; the 8th power makes the pull firm
    // enough to outweigh the ages that family rules force (children, spouses), so every band
    // stays within a few tenths of a percentage point of its national share.
    const ratio = (share * (this.total + 1) + 3) / ((this.counts[cell] as number) + 3);
    const squared = ratio * ratio;
    const fourth = squared * squared;
    return share * fourth * fourth;
  }

  record(sex: Sex, age: number): void {
    this.counts[this.cell(sex, bandIndexOfAge(age))]! += 1;
    this.total += 1;
  }

  /** An age in [lo, hi] for someone of `sex`; null when the range is empty. */
  age(sex: Sex, lo: number, hi: number): number | null {
    const picked = this.draw([sex], lo, hi);
    return picked ? picked.age : null;
  }

  /** A sex and an age in [lo, hi] (the range must not be empty). */
  sexAndAge(lo: number, hi: number): { sex: Sex; age: number } {
    const picked = this.draw(SEXES, lo, hi);
    if (!picked) throw new RangeError(`empty age range ${lo}–${hi}`);
    return picked;
  }

  private draw(sexes: readonly Sex[], lo: number, hi: number): { sex: Sex; age: number } | null {
    lo = Math.max(0, lo);
    hi = Math.min(MAX_AGE, hi);
    if (lo > hi) return null;
    let total = 0;
    const weights: number[] = [];
    for (const sex of sexes) {
      AGE_BANDS.forEach((band, i) => {
        const overlap = Math.min(hi, band.maxAge) - Math.max(lo, band.minAge) + 1;
        const w = overlap > 0 ? this.weight(this.cell(sex, i)) * overlap / (band.maxAge - band.minAge + 1) : 0;
        weights.push(w);
        total += w;
      });
    }
    let target = this.prng.next() * total;
    let index = weights.length - 1;
    for (let i = 0; i < weights.length; i++) {
      target -= weights[i] as number;
      if (target < 0) { index = i; break; }
    }
    // Rounding can leave a sliver past the end; fall back to the last band with any weight.
    while ((weights[index] as number) === 0 && index > 0) index--;
    const sex = sexes[Math.floor(index / AGE_BANDS.length)] as Sex;
    const band = AGE_BANDS[index % AGE_BANDS.length]!;
    return { sex, age: this.prng.int(Math.max(lo, band.minAge), Math.min(hi, band.maxAge)) };
  }
}

// ───────────────────────────── household composition ─────────────────────────────

/** Which 戸籍 a member belongs to, relative to the household. */
type KosekiGroup = 'head' | 'parents' | 'wifeParents' | 'childFamily' | 'own';
/** Whose family name a member carries. */
type SurnameLine = 'household' | 'wifeFamily' | 'own';
/** Who is 筆頭者 of the head's 戸籍: the head, her husband in the household, a late/absent husband, or the head's father. */
type KosekiMode = 'self' | 'husband' | 'lateHusband' | 'father';

interface ForeignDraft {
  nationality: ForeignNationality;
  status: ResidenceStatus;
}

interface Draft {
  relationship: Relationship;
  sex: Sex;
  age: number;
  line: SurnameLine;
  koseki: KosekiGroup;
  foreign: ForeignDraft | null;
}

interface Shape {
  members: Draft[];
  mode: KosekiMode;
}

type HouseholdType = 'single' | 'couple' | 'nuclear' | 'singleParent' | 'threeGen' | 'siblings' | 'cohabit';

const MIN_SIZE: Readonly<Record<HouseholdType, number>> = {
  single: 1, couple: 2, nuclear: 3, singleParent: 2, threeGen: 4, siblings: 2, cohabit: 2,
};

/**
 * How likely each household type is around an anchor of this age and sex. Tuned so that the
 * result resembles the 国勢調査 household mix: about 38% single-person households, couples,
 * couples with children, single parents and some three-generation households.
 */
function typeWeights(age: number, sex: Sex): Record<HouseholdType, number> {
  if (age < 18) return { single: 0, couple: 0, nuclear: 78, singleParent: 12, threeGen: 10, siblings: 0, cohabit: 0 };
  if (age < 23) return { single: 62, couple: 1, nuclear: 32, singleParent: 4, threeGen: 2, siblings: 1, cohabit: 2 };
  if (age < 30) return { single: 63, couple: 11, nuclear: 18, singleParent: 3, threeGen: 2, siblings: 3, cohabit: 5 };
  if (age < 40) return { single: 42, couple: 11, nuclear: 37, singleParent: 6, threeGen: 3, siblings: 2, cohabit: 3 };
  if (age < 50) return { single: 37, couple: 10, nuclear: 42, singleParent: 7, threeGen: 4, siblings: 2, cohabit: 2 };
  if (age < 60) return { single: 37, couple: 24, nuclear: 30, singleParent: 6, threeGen: 4, siblings: 2, cohabit: 1 };
  if (age < 70) return { single: 35, couple: 44, nuclear: 13, singleParent: 4, threeGen: 4, siblings: 2, cohabit: 1 };
  const elderlyWoman = sex === 'female' ? 12 : 0;
  if (age < 80) return { single: 40 + elderlyWoman, couple: 42, nuclear: 8, singleParent: 5, threeGen: 7, siblings: 2, cohabit: 0 };
  return { single: 50 + elderlyWoman, couple: 22, nuclear: 4, singleParent: 12, threeGen: 14, siblings: 2, cohabit: 0 };
}

/** Probability that an anchor of this age is a child (not a parent) in a family household. */
function childRoleProbability(type: 'nuclear' | 'singleParent', age: number): number {
  if (age < 18) return 1;
  if (type === 'nuclear') return age < 23 ? 0.97 : age < 30 ? 0.55 : age < 40 ? 0.2 : age < 50 ? 0.08 : age < 60 ? 0.03 : 0;
  return age < 30 ? 0.7 : age < 65 ? 0.35 : 0;
}

function draft(relationship: Relationship, sex: Sex, age: number, rest: Partial<Draft> = {}): Draft {
  return { relationship, sex, age, line: 'household', koseki: 'head', foreign: null, ...rest };
}

const opposite = (sex: Sex): Sex => (sex === 'male' ? 'female' : 'male');

class Composer {
  constructor(private readonly prng: Prng, private readonly quota: AgeSexQuota) {}

  /**
   * The age of the spouse of someone `partnerAge` old: husbands are on average ~2 years older,
   * most couples within a few years, none more than 10 apart. `lo`/`hi` narrow it further
   * (e.g. to stay a plausible parent of a given child); null when nothing fits.
   */
  spouseAge(partnerAge: number, partnerSex: Sex, lo = 18, hi = MAX_AGE): number | null {
    const [gapLo, gapHi] = this.prng.chance(0.75) ? [-2, 5] : [-8, 10];
    const spouseSex = opposite(partnerSex);
    const near = partnerSex === 'male' ? [partnerAge - gapHi, partnerAge - gapLo] : [partnerAge + gapLo, partnerAge + gapHi];
    const floor = Math.max(lo, 18);
    return this.quota.age(spouseSex, Math.max(near[0]!, floor), Math.min(near[1]!, hi))
      ?? this.quota.age(spouseSex, Math.max(partnerAge - 10, floor), Math.min(partnerAge + 10, hi));
  }

  /** The age range of a child of these parents: born when each parent was 18+, mother ≤ 45, father ≤ 55. */
  childRange(motherAge: number | null, fatherAge: number | null): [number, number] | null {
    let lo = 0;
    let hi = MAX_AGE;
    if (motherAge !== null) { lo = Math.max(lo, motherAge - 45); hi = Math.min(hi, motherAge - 18); }
    if (fatherAge !== null) { lo = Math.max(lo, fatherAge - 55); hi = Math.min(hi, fatherAge - 18); }
    return lo <= hi ? [lo, hi] : null;
  }

  /** How many children (1+) live with a family, at most `max`; older parents have fewer at home. */
  kidCount(max: number, youngestParentAge: number, singleParent: boolean): number {
    const weights = (singleParent || youngestParentAge >= 50 ? [65, 28, 7] : [44, 42, 12, 2]).slice(0, Math.max(1, max));
    return this.prng.weighted(weights.map((_, i) => i + 1), cumulative(weights));
  }

  /** `count` children aged within `range`; ages already taken by `siblings` are redrawn a few times, since twins are rare. */
  children(count: number, range: [number, number], siblings: readonly Draft[] = []): Draft[] {
    const kids: Draft[] = [];
    for (let i = 0; i < count; i++) {
      let kid = this.quota.sexAndAge(range[0], range[1]);
      for (let tries = 0; tries < 3 && [...siblings, ...kids].some((k) => k.age === kid.age); tries++) {
        kid = this.quota.sexAndAge(range[0], range[1]);
      }
      kids.push(draft('子', kid.sex, kid.age));
    }
    return kids;
  }

  /** A Japanese household of at most `room` people (≥ 1). */
  japanese(room: number): Shape {
    const anchor = this.quota.sexAndAge(room === 1 ? 18 : 0, MAX_AGE);
    const weights = typeWeights(anchor.age, anchor.sex);
    for (const type of Object.keys(weights) as HouseholdType[]) if (MIN_SIZE[type] > room) weights[type] = 0;
    switch (this.prng.choose(weights)) {
      case 'couple': return this.couple(anchor);
      case 'nuclear': return this.nuclear(anchor, room);
      case 'singleParent': return this.singleParent(anchor, room);
      case 'threeGen': return this.threeGenerations(anchor, room);
      case 'siblings': return this.siblings(anchor);
      case 'cohabit': return this.cohabit(anchor);
      default: return this.single(anchor);
    }
  }

  /**
   * Whose 戸籍 a head living without a spouse is in: young people stay in their parents' (the
   * father is 筆頭者); older women are often widows still in their late husband's 戸籍.
   */
  singleMode(sex: Sex, age: number): KosekiMode {
    if (age < 35) return 'father';
    if (sex === 'male') return this.prng.chance(age < 65 ? 0.55 : 0.85) ? 'self' : 'father';
    return this.prng.choose(age < 65 ? { father: 45, self: 30, lateHusband: 25 } : { father: 15, self: 15, lateHusband: 70 });
  }

  single(anchor: { sex: Sex; age: number }): Shape {
    return { members: [draft('世帯主', anchor.sex, anchor.age)], mode: this.singleMode(anchor.sex, anchor.age) };
  }

  /** A married couple's two drafts, head first (the husband in 97% of households). */
  marriedPair(husbandAge: number, wifeAge: number): Draft[] {
    const wife = draft('妻', 'female', wifeAge);
    // About 1 in 80 Japanese men living with a wife has a foreign wife (国際結婚).
    if (this.prng.chance(0.012)) {
      const nationality = nationalityNamed(this.prng.choose(SPOUSE_NATIONALITY_WEIGHTS));
      const status: ResidenceStatus = this.prng.chance(0.55) ? '日本人の配偶者等' : '永住者';
      return [draft('世帯主', 'male', husbandAge), { ...wife, line: 'own', koseki: 'own', foreign: { nationality, status } }];
    }
    if (this.prng.chance(0.03)) return [draft('世帯主', 'female', wifeAge), draft('夫', 'male', husbandAge)];
    return [draft('世帯主', 'male', husbandAge), wife];
  }

  private pairMode(pair: Draft[]): KosekiMode {
    return pair[0]!.sex === 'female' ? 'husband' : 'self';
  }

  couple(anchor: { sex: Sex; age: number }): Shape {
    const other = this.spouseAge(anchor.age, anchor.sex);
    if (other === null) return this.single(anchor);
    const pair = anchor.sex === 'male' ? this.marriedPair(anchor.age, other) : this.marriedPair(other, anchor.age);
    return { members: pair, mode: this.pairMode(pair) };
  }

  nuclear(anchor: { sex: Sex; age: number }, room: number): Shape {
    let husband: number;
    let wife: number;
    const kids: Draft[] = [];
    if (this.prng.chance(childRoleProbability('nuclear', anchor.age))) {
      wife = this.quota.age('female', anchor.age + 18, anchor.age + 45)!;
      husband = this.spouseAge(wife, 'female', anchor.age + 18, anchor.age + 55)!;
      kids.push(draft('子', anchor.sex, anchor.age));
    } else {
      const other = this.spouseAge(anchor.age, anchor.sex);
      if (other === null) return this.single(anchor);
      [husband, wife] = anchor.sex === 'male' ? [anchor.age, other] : [other, anchor.age];
    }
    const range = this.childRange(wife, husband);
    if (!range) return this.couple(anchor);
    const count = this.kidCount(room - 2, Math.min(husband, wife), false);
    kids.push(...this.children(count - kids.length, range, kids));
    const pair = this.marriedPair(husband, wife);
    return { members: [...pair, ...byAgeDesc(kids)], mode: this.pairMode(pair) };
  }

  singleParent(anchor: { sex: Sex; age: number }, room: number): Shape {
    const kids: Draft[] = [];
    let parent: { sex: Sex; age: number };
    if (this.prng.chance(childRoleProbability('singleParent', anchor.age))) {
      const sex: Sex = this.prng.chance(0.85) ? 'female' : 'male';
      parent = { sex, age: this.quota.age(sex, anchor.age + 18, anchor.age + (sex === 'female' ? 45 : 55))! };
      kids.push(draft('子', anchor.sex, anchor.age));
    } else {
      parent = anchor;
    }
    const range = parent.sex === 'female' ? this.childRange(parent.age, null) : this.childRange(null, parent.age);
    if (!range) return this.single(anchor);
    kids.push(...this.children(this.kidCount(room - 1, parent.age, true) - kids.length, range, kids));
    // A lone mother is usually divorced with her own 戸籍, sometimes a widow in her late husband's.
    const mode: KosekiMode = parent.sex === 'male' || this.prng.chance(0.65) ? 'self' : 'lateHusband';
    return { members: [draft('世帯主', parent.sex, parent.age), ...byAgeDesc(kids)], mode };
  }

  /**
   * Grandparent(s), a couple and their children. Either the middle-aged husband heads it with his
   * (or his wife's) parents as 父/母 (妻の父/妻の母), or the grandfather heads it with his son
   * (子), daughter-in-law (子の妻) and grandchildren (孫).
   */
  threeGenerations(anchor: { sex: Sex; age: number }, room: number): Shape {
    const elderHead = this.prng.chance(0.3);
    const lineageIsWife = !elderHead && this.prng.chance(0.25);
    const a = anchor.age;
    const role = a < 18 ? 'youngest'
      : a < 30 ? (this.prng.chance(0.7) ? 'youngest' : 'middle')
        : a < 55 ? 'middle'
          : a < 70 ? (this.prng.chance(0.6) ? 'elder' : 'middle') : 'elder';

    let husband: number;
    let wife: number;
    let elderMother: number | null = null;
    let elderFather: number | null = null;
    const kids: Draft[] = [];

    const eldersOf = (lineage: number) => {
      const which = this.prng.choose({ both: 45, mother: 42, father: 13 });
      if (which === 'father') {
        elderFather = this.quota.age('male', lineage + 18, lineage + 55);
      } else {
        elderMother = this.quota.age('female', lineage + 18, lineage + 45);
        if (which === 'both' && elderMother !== null) elderFather = this.spouseAge(elderMother, 'female', lineage + 18, lineage + 55);
      }
    };

    if (role === 'elder') {
      if (anchor.sex === 'female') {
        elderMother = a;
        if (this.prng.chance(0.45)) elderFather = this.spouseAge(a, 'female');
      } else {
        elderFather = a;
        if (this.prng.chance(0.65)) elderMother = this.spouseAge(a, 'male');
      }
      const lineageSex: Sex = lineageIsWife ? 'female' : 'male';
      const range = this.childRange(elderMother, elderFather);
      if (!range) return this.couple(anchor);
      const lineage = this.quota.age(lineageSex, Math.max(18, range[0]), range[1]);
      if (lineage === null) return this.single(anchor);
      const partner = this.spouseAge(lineage, lineageSex)!;
      [husband, wife] = lineageIsWife ? [partner, lineage] : [lineage, partner];
    } else {
      if (role === 'youngest') {
        wife = this.quota.age('female', a + 18, a + 45)!;
        husband = this.spouseAge(wife, 'female', a + 18, a + 55)!;
        kids.push(draft(elderHead ? '孫' : '子', anchor.sex, a));
      } else if (anchor.sex === 'male') {
        husband = a;
        wife = this.spouseAge(a, 'male')!;
      } else {
        wife = a;
        husband = this.spouseAge(a, 'female')!;
      }
      eldersOf(lineageIsWife ? wife : husband);
    }
    // Keep the household within `room`: a second grandparent is the first to go.
    const eldersCount = () => (elderMother !== null ? 1 : 0) + (elderFather !== null ? 1 : 0);
    if (eldersCount() === 0) return this.nuclear(anchor, room);
    if (eldersCount() + 3 > room) {
      if (role === 'elder' && anchor.sex === 'female') elderFather = null;
      else if (role === 'elder') elderMother = null;
      else elderFather = null;
    }
    const range = this.childRange(wife, husband);
    if (range && kids.length === 0) {
      kids.push(...this.children(this.kidCount(room - eldersCount() - 2, Math.min(husband, wife), false), range));
      if (elderHead) for (const kid of kids) kid.relationship = '孫';
    } else if (range) {
      const more = this.kidCount(room - eldersCount() - 2, Math.min(husband, wife), false) - 1;
      for (const kid of this.children(more, range, kids)) kids.push({ ...kid, relationship: elderHead ? '孫' : '子' });
    }
    const sortedKids = byAgeDesc(kids);

    if (elderHead) {
      const eldest: Draft[] = elderFather !== null
        ? [draft('世帯主', 'male', elderFather), ...(elderMother !== null ? [draft('妻', 'female', elderMother)] : [])]
        : [draft('世帯主', 'female', elderMother!)];
      const youngFamily: Draft[] = [draft('子', 'male', husband), draft('子の妻', 'female', wife), ...sortedKids]
        .map((d) => ({ ...d, koseki: 'childFamily' as const }));
      return { members: [...eldest, ...youngFamily], mode: elderFather !== null ? 'self' : 'lateHusband' };
    }
    const elderRest: Partial<Draft> = lineageIsWife ? { line: 'wifeFamily', koseki: 'wifeParents' } : { koseki: 'parents' };
    const elders: Draft[] = [];
    if (elderFather !== null) elders.push(draft(lineageIsWife ? '妻の父' : '父', 'male', elderFather, elderRest));
    if (elderMother !== null) elders.push(draft(lineageIsWife ? '妻の母' : '母', 'female', elderMother, elderRest));
    return { members: [draft('世帯主', 'male', husband), draft('妻', 'female', wife), ...sortedKids, ...elders], mode: 'self' };
  }

  /** Two unmarried siblings, both still in their father's 戸籍. */
  siblings(anchor: { sex: Sex; age: number }): Shape {
    let other = this.quota.sexAndAge(Math.max(18, anchor.age - 12), anchor.age + 12);
    if (other.age === anchor.age) other = this.quota.sexAndAge(Math.max(18, anchor.age - 12), anchor.age + 12);
    const [head, sib] = (other.age > anchor.age) === this.prng.chance(0.75) ? [other, anchor] : [anchor, other];
    const older = sib.age > head.age;
    const relationship: Relationship = sib.sex === 'male' ? (older ? '兄' : '弟') : (older ? '姉' : '妹');
    return { members: [draft('世帯主', head.sex, head.age), draft(relationship, sib.sex, sib.age)], mode: 'father' };
  }

  /** A head with an unmarried partner (未届の妻/夫) or a 同居人 — neither shares the head's name or 戸籍. */
  cohabit(anchor: { sex: Sex; age: number }): Shape {
    const outsider: Partial<Draft> = { line: 'own', koseki: 'own' };
    if (this.prng.chance(0.55)) {
      const partnerAge = this.spouseAge(anchor.age, anchor.sex);
      if (partnerAge === null) return this.single(anchor);
      const partner = { sex: opposite(anchor.sex), age: partnerAge };
      const [head, other] = (anchor.sex === 'male') === this.prng.chance(0.85) ? [anchor, partner] : [partner, anchor];
      return {
        members: [draft('世帯主', head.sex, head.age), draft(other.sex === 'female' ? '未届の妻' : '未届の夫', other.sex, other.age, outsider)],
        mode: this.singleMode(head.sex, head.age),
      };
    }
    const other = this.quota.sexAndAge(Math.max(18, anchor.age - 10), anchor.age + 10);
    return {
      members: [draft('世帯主', anchor.sex, anchor.age), draft('同居人', other.sex, other.age, outsider)],
      mode: this.singleMode(anchor.sex, anchor.age),
    };
  }

  /** A foreign household of at most `room` people: a worker or student alone, or a family. */
  foreign(room: number): Shape {
    const nationality = pickNationality(this.prng);
    const status = this.prng.choose(nationality.statuses as Record<ResidenceStatus, number>);
    const profile = STATUS_PROFILES[status] ?? DEFAULT_PROFILE;
    const as = (s: ResidenceStatus): Partial<Draft> => ({ line: 'household', koseki: 'own', foreign: { nationality, status: s } });
    if (room < 2 || !this.prng.chance(profile.familyShare)) {
      const head = this.quota.sexAndAge(profile.ages[0], profile.ages[1]);
      return { members: [draft('世帯主', head.sex, head.age, as(status))], mode: 'self' };
    }
    const husband = this.quota.age('male', Math.max(22, profile.ages[0]), profile.ages[1])!;
    const wife = this.spouseAge(husband, 'male')!;
    const dependants = DEPENDANT_STATUS[status] ?? (() => status);
    const members = [
      draft('世帯主', 'male', husband, as(status)),
      { ...draft('妻', 'female', wife, as(dependants(this.prng, 'spouse'))), line: nationality.keepsSurnameOnMarriage ? 'own' as const : 'household' as const },
    ];
    const range = this.childRange(wife, husband);
    if (range && room > 2 && this.prng.chance(0.7)) {
      const kids = this.children(this.kidCount(room - 2, Math.min(husband, wife), false), range);
      members.push(...byAgeDesc(kids).map((kid) => ({ ...kid, ...as(dependants(this.prng, 'child')) })));
    }
    return { members, mode: 'self' };
  }
}

function byAgeDesc(drafts: Draft[]): Draft[] {
  return [...drafts].sort((x, y) => y.age - x.age);
}

interface StatusProfile {
  /** Age range of the main person holding this status. */
  ages: [number, number];
  /** Probability that they live with a spouse (and maybe children). */
  familyShare: number;
  /** Typical 在留期間 in years; null for statuses without one (永住者, 特別永住者). */
  periodYears: number | null;
  /** How far back their move-in may lie, in years. */
  stayYears: number;
}

const DEFAULT_PROFILE: StatusProfile = { ages: [20, 60], familyShare: 0.3, periodYears: 3, stayYears: 10 };

const STATUS_PROFILES: Partial<Record<ResidenceStatus, StatusProfile>> = {
  '技能実習': { ages: [19, 35], familyShare: 0, periodYears: 1, stayYears: 3 },
  '特定技能': { ages: [20, 40], familyShare: 0, periodYears: 1, stayYears: 5 },
  '特定活動': { ages: [20, 40], familyShare: 0, periodYears: 1, stayYears: 3 },
  '留学': { ages: [18, 30], familyShare: 0.08, periodYears: 2, stayYears: 4 },
  '技術・人文知識・国際業務': { ages: [22, 50], familyShare: 0.35, periodYears: 3, stayYears: 10 },
  '技能': { ages: [25, 55], familyShare: 0.45, periodYears: 3, stayYears: 12 },
  '経営・管理': { ages: [30, 65], familyShare: 0.5, periodYears: 3, stayYears: 12 },
  '教育': { ages: [24, 60], familyShare: 0.3, periodYears: 3, stayYears: 10 },
  '高度専門職': { ages: [28, 55], familyShare: 0.5, periodYears: 5, stayYears: 8 },
  '定住者': { ages: [20, 70], familyShare: 0.6, periodYears: 3, stayYears: 25 },
  '永住者': { ages: [25, 85], familyShare: 0.55, periodYears: null, stayYears: 30 },
  '特別永住者': { ages: [25, 100], familyShare: 0.5, periodYears: null, stayYears: 80 },
  '日本人の配偶者等': { ages: [20, 70], familyShare: 0, periodYears: 3, stayYears: 20 },
  '永住者の配偶者等': { ages: [20, 70], familyShare: 0, periodYears: 3, stayYears: 20 },
};

/** The status of a foreign head's spouse and children, which follows from the head's. */
const DEPENDANT_STATUS: Partial<Record<ResidenceStatus, (prng: Prng, who: 'spouse' | 'child') => ResidenceStatus>> = {
  '技術・人文知識・国際業務': () => '家族滞在',
  '技能': () => '家族滞在',
  '経営・管理': () => '家族滞在',
  '教育': () => '家族滞在',
  '高度専門職': () => '家族滞在',
  '留学': () => '家族滞在',
  '永住者': (prng, who) => (prng.chance(who === 'spouse' ? 0.6 : 0.5) ? '永住者' : '永住者の配偶者等'),
};

// ───────────────────────────── people ─────────────────────────────

const IDEOGRAPHIC_SPACE = '\u3000';
const MALE_ORDINALS = ['長男', '二男', '三男', '四男', '五男', '六男'];
const FEMALE_ORDINALS = ['長女', '二女', '三女', '四女', '五女', '六女'];
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

interface Person {
  draft: Draft;
  birthDay: number;
  family: NameEntry;
  given: NameEntry;
  registeredDay: number;
  fullName: string;
}

interface RunState {
  prng: Prng;
  ref: ReferenceDate;
  book: AddressBook;
  fiscalYear: number;
  sealCount: number;
  cardNumbers: Set<string>;
  /** (本籍, 筆頭者) of family registers already emitted: a 戸籍 is identified by the pair. */
  registers: Set<string>;
}

function twoLetters(prng: Prng): string {
  return `${LETTERS[prng.int(0, 25)]}${LETTERS[prng.int(0, 25)]}`;
}

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

function randomDayBetween(prng: Prng, from: number, to: number): number {
  return from >= to ? to : prng.int(from, to);
}

/** 年度 before the one containing the reference date (the 年度 starts on 1 April). */
function previousFiscalYear(ref: ReferenceDate): number {
  return (ref.month >= 4 ? ref.year : ref.year - 1) - 1;
}

/** A Japanese surname other than `avoid` (for in-laws and lodgers). */
function otherSurname(prng: Prng, avoid: NameEntry): NameEntry {
  let candidate = pickSurname(prng);
  for (let i = 0; i < 5 && candidate[0] === avoid[0]; i++) candidate = pickSurname(prng);
  return candidate;
}

/** The name of a man who is 筆頭者 but does not live here (a father, a late husband). */
function absentMan(prng: Prng, family: NameEntry, birthYear: number): string {
  return `${family[0]}${IDEOGRAPHIC_SPACE}${pickGivenName(prng, 'male', birthYear)[0]}`;
}

/** Sort key of 戸籍 relationships: 筆頭者, then the spouse, then children. */
function kosekiOrder(term: string): number {
  return term === '筆頭者' ? 0 : term === '妻' || term === '夫' ? 1 : 2;
}

/**
 * Turns a composed household into registry rows plus seals, taxes and the family register.
 */
function materialize(state: RunState, shape: Shape, householdKey: string): SyntheticHousehold {
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

const SIBLING_RELATIONSHIPS: ReadonlySet<Relationship> = new Set(['兄', '弟', '姉', '妹']);

/**
 * Birth days within each member's age: every child born on or after both parents' 18th
 * birthdays, and children of one couple either twins (same day) or at least 300 days apart.
 * Members are dated eldest first so parents are always dated before their children.
 */
function assignBirthDays(prng: Prng, ref: ReferenceDate, drafts: readonly Draft[]): number[] {
  const indicesOf = (...relationships: Relationship[]) =>
    drafts.flatMap((d, i) => (relationships.includes(d.relationship) && d.koseki !== 'childFamily' ? [i] : []));
  const parentsOf = (d: Draft): number[] => {
    switch (d.relationship) {
      case '子': return indicesOf('世帯主', '妻', '夫');
      case '孫': return drafts.flatMap((x, i) => (x.relationship === '子の妻' || (x.relationship === '子' && x.koseki === 'childFamily') ? [i] : []));
      case '世帯主': return indicesOf('父', '母');
      case '妻': return indicesOf('妻の父', '妻の母');
      default: return [];
    }
  };
  const hasSiblings = drafts.some((d) => SIBLING_RELATIONSHIPS.has(d.relationship));
  const groupOf = (d: Draft): string | null =>
    d.relationship === '子' || d.relationship === '孫' ? d.relationship
      : hasSiblings && (d.relationship === '世帯主' || SIBLING_RELATIONSHIPS.has(d.relationship)) ? 'siblings' : null;

  const births: number[] = drafts.map(() => 0);
  const lastOfGroup = new Map<string, number>();
  const order = drafts.map((_, i) => i).sort((x, y) => drafts[y]!.age - drafts[x]!.age || x - y);
  for (const i of order) {
    const d = drafts[i]!;
    let [lo, hi] = birthWindow(ref, d.age);
    for (const parent of parentsOf(d)) {
      if (parent !== i && drafts[parent]!.age > d.age) lo = Math.max(lo, anniversary(births[parent]!, 18));
    }
    const group = groupOf(d);
    const previous = group === null ? undefined : lastOfGroup.get(group);
    if (previous !== undefined && drafts[previous]!.age === d.age) {
      births[i] = births[previous]!;
    } else {
      if (previous !== undefined && drafts[previous]!.age === d.age + 1) lo = Math.max(lo, births[previous]! + 300);
      births[i] = prng.int(lo, Math.max(lo, hi));
    }
    if (group !== null) lastOfGroup.set(group, i);
  }
  return births;
}

/**
 * 住民となった年月日: heads either were born here or moved in (recent moves more common), their
 * families arrived with them or were born here later, and parents or lodgers joined afterwards.
 */
function assignRegisteredDays(state: RunState, people: Person[], foreignHousehold: boolean): void {
  const { prng, ref } = state;
  const head = people[0]!;
  if (foreignHousehold) {
    const status = head.draft.foreign!.status;
    const stayDays = (STATUS_PROFILES[status] ?? DEFAULT_PROFILE).stayYears * 365;
    const bornHere = status === '特別永住者' && prng.chance(0.6);
    const arrival = bornHere ? head.birthDay : Math.max(head.birthDay, ref.day - prng.int(0, stayDays));
    for (const p of people) p.registeredDay = Math.max(p.birthDay, arrival);
    return;
  }
  const adult = anniversary(head.birthDay, 18);
  const start = Math.max(adult, ref.day - 45 * 365);
  const bornHere = prng.chance(0.3);
  const u = prng.next();
  // Squaring skews move-ins towards recent years, as the 住民基本台帳人口移動報告 shows.
  const moveIn = bornHere ? randomDayBetween(prng, start, ref.day) : ref.day - Math.floor((ref.day - start) * u * u);
  for (const p of people) {
    const core = p.draft.koseki === 'head' || p.draft.koseki === 'childFamily' || p.draft.foreign !== null;
    if (p === head) p.registeredDay = bornHere ? head.birthDay : moveIn;
    else if (core) p.registeredDay = Math.max(p.birthDay, moveIn);
    else p.registeredDay = Math.max(p.birthDay, randomDayBetween(prng, moveIn, ref.day));
  }
}

/**
 * Fills 本籍 and 筆頭者 of Japanese members and returns the head's 戸籍 when its 本籍 is local.
 * Each 戸籍 holds one couple and their unmarried children, so parents living with the head, a
 * married son's family and lodgers belong to other 戸籍 (often at the same 本籍 for relatives).
 */
function assignKoseki(
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

type ForeignFields = Pick<ResidentImportRow, 'nationality' | 'residenceStatus' | 'residenceExpiry' | 'residenceCardNumber' | 'aliasName'>;

/** 国籍, 在留資格, its expiry, the card number and a 通称 for the foreign members. */
function assignForeignFields(state: RunState, people: Person[]): ForeignFields[] {
  const { prng, ref } = state;
  const none: ForeignFields = { nationality: null, residenceStatus: null, residenceExpiry: null, residenceCardNumber: null, aliasName: null };
  if (people.every((p) => p.draft.foreign === null)) return people.map(() => none);
  // Dependants on 家族滞在 may stay exactly as long as the head who sponsors them.
  const sponsor = people[0]!.draft.foreign;
  const sponsorYears = sponsor ? (STATUS_PROFILES[sponsor.status] ?? DEFAULT_PROFILE).periodYears : null;
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
    else expiryDay = ref.day + prng.int(1, ((STATUS_PROFILES[f.status] ?? DEFAULT_PROFILE).periodYears ?? 3) * 365);

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

// ───────────────────────────── seals and taxes ─────────────────────────────

/** Probability of a registered seal by age: rare among teenagers, common from middle age. */
function sealProbability(age: number): number {
  return age < 15 ? 0 : age < 20 ? 0.08 : age < 25 ? 0.3 : age < 30 ? 0.45 : age < 40 ? 0.58 : 0.62;
}

function sealsFor(state: RunState, people: Person[]): SyntheticSeal[] {
  const { prng, ref } = state;
  const seals: SyntheticSeal[] = [];
  people.forEach((p, memberIndex) => {
    if (!prng.chance(sealProbability(p.draft.age))) return;
    // 印鑑登録 needs a resident aged 15 or over.
    const from = Math.max(p.registeredDay, anniversary(p.birthDay, 15));
    const latin = /[A-Za-z]/.test(p.family[0]);
    seals.push({
      memberIndex,
      registrationNo: String(++state.sealCount).padStart(8, '0'),
      imageSvg: renderSealSvg(latin ? p.family[1] : p.family[0]),
      registeredOn: isoOf(randomDayBetween(prng, from, ref.day)),
    });
  });
  return seals;
}

/** Ranges of salaried 所得 (after 給与所得控除) in thousands of yen, with weights for young and prime-age earners. */
const SALARY_BRACKETS: readonly (readonly [lo: number, hi: number, young: number, prime: number])[] = [
  [1000, 2000, 25, 12], [2000, 3000, 38, 22], [3000, 4000, 25, 22], [4000, 5500, 9, 20],
  [5500, 8000, 3, 16], [8000, 12000, 0, 6], [12000, 25000, 0, 2],
];

function thousands(prng: Prng, lo: number, hi: number): number {
  return prng.int(lo, hi) * 1000;
}

/** A plausible 所得 (yen) for the year: zero for most pupils, students and many pensioners. */
function annualIncome(prng: Prng, age: number, sex: Sex, status: ResidenceStatus | null): number {
  if (status === '留学') return prng.chance(0.6) ? thousands(prng, 200, 900) : 0;
  if (status === '技能実習' || status === '特定技能') return thousands(prng, 1200, 2600);
  if (status === '家族滞在') return prng.chance(0.3) ? thousands(prng, 100, 900) : 0;
  if (age < 19) return prng.chance(0.15) ? thousands(prng, 50, 450) : 0;
  const r = prng.next();
  if (age < 23) return r < 0.45 ? 0 : r < 0.8 ? thousands(prng, 100, 900) : thousands(prng, 1500, 3000);
  if (age < 65) {
    if (!prng.chance(sex === 'male' ? 0.88 : 0.72)) return prng.chance(0.3) ? thousands(prng, 100, 1000) : 0;
    if (sex === 'female' && prng.chance(0.4)) return thousands(prng, 300, 1500);
    const young = age < 30;
    const weights = SALARY_BRACKETS.map((b) => (young ? b[2] : b[3]));
    let target = prng.next() * weights.reduce((s, w) => s + w, 0);
    const bracket = SALARY_BRACKETS.find((_, i) => (target -= weights[i]!) < 0) ?? SALARY_BRACKETS[0]!;
    return thousands(prng, bracket[0], bracket[1] - 1);
  }
  if (age < 75) return r < 0.3 ? thousands(prng, 1000, 4500) : r < 0.75 ? thousands(prng, 100, 2500) : 0;
  return r < 0.05 ? thousands(prng, 1000, 5000) : r < 0.55 ? thousands(prng, 50, 2000) : 0;
}

/**
 * 住民税 所得割 at 10% of 所得 less the basic deduction, rounded down to 100 yen. A simplification:
 * no 均等割 and no deductions other than 基礎控除.
 */
export function residentTaxYen(incomeYen: number): number {
  return Math.floor(Math.max(0, incomeYen - BASIC_DEDUCTION_YEN) / 1000) * 100;
}

function taxesFor(state: RunState, people: Person[]): SyntheticTax[] {
  const taxes: SyntheticTax[] = [];
  people.forEach((p, memberIndex) => {
    if (p.draft.age < 16) return;
    const incomeYen = annualIncome(state.prng, p.draft.age, p.draft.sex, p.draft.foreign?.status ?? null);
    taxes.push({ memberIndex, fiscalYear: state.fiscalYear, incomeYen, taxYen: residentTaxYen(incomeYen) });
  });
  return taxes;
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/**
 * A small SVG of a red round 印鑑 with `surname` written top to bottom. Each character is its own
 * <text> element because `writing-mode` is unevenly supported by SVG renderers.
 */
export function renderSealSvg(surname: string): string {
  const chars = Array.from(surname);
  const size = Math.min(22, Math.floor(42 / Math.max(1, chars.length)));
  const top = 32 - (chars.length * size) / 2;
  const glyphs = chars
    .map((c, i) => `<text x="32" y="${(top + (i + 0.5) * size).toFixed(1)}" font-size="${size}" text-anchor="middle" dominant-baseline="central">${escapeXml(c)}</text>`)
    .join('');
  return '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">'
    + '<circle cx="32" cy="32" r="29" fill="none" stroke="#c8161d" stroke-width="3"/>'
    + `<g fill="#c8161d" font-family="'Noto Serif JP','Hiragino Mincho ProN','Yu Mincho',serif" font-weight="700">${glyphs}</g></svg>`;
}

// ───────────────────────────── the generator ─────────────────────────────

/**
 * Yields synthetic households for one municipality until exactly `options.residents` people
 * have been produced. The same options always yield the same households; another seed yields
 * other people. Everyone is invented: names are drawn from common-name lists, addresses from
 * generic 町名, and no real person's data is used.
 *
 * @example
 * for (const household of generateHouseholds({ lgCode: '132047', municipalityName: '三鷹市',
 *   prefecture: '東京都', residents: 1000, seed: 'demo', asOf: '2026-04-01' })) { … }
 */
export function* generateHouseholds(options: GenerateOptions): Generator<SyntheticHousehold> {
  if (!Number.isSafeInteger(options.residents) || options.residents < 0) {
    throw new RangeError(`residents must be a non-negative integer, got ${options.residents}`);
  }
  const ref = parseAsOf(options.asOf);
  // Seeded by seed and municipality only, so a larger run starts with the same households.
  const prng = new Prng(`${options.seed}\u0000${options.lgCode}`);
  const quota = new AgeSexQuota(prng);
  const composer = new Composer(prng, quota);
  const state: RunState = {
    prng, ref, book: createAddressBook(options), fiscalYear: previousFiscalYear(ref),
    sealCount: 0, cardNumbers: new Set(), registers: new Set(),
  };
  let produced = 0;
  let foreigners = 0;
  let households = 0;
  while (produced < options.residents) {
    const room = options.residents - produced;
    const behindOnForeigners = foreigners < FOREIGN_RESIDENT_SHARE * (produced + 1);
    const shape = behindOnForeigners && prng.chance(0.25) ? composer.foreign(room) : composer.japanese(room);
    for (const member of shape.members) {
      quota.record(member.sex, member.age);
      if (member.foreign) foreigners++;
    }
    households++;
    const household = materialize(state, shape, `H${String(households).padStart(7, '0')}`);
    produced += household.members.length;
    yield household;
  }
}
