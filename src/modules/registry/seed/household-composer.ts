// Composes households — which kind, and who is in them with what age — around one "anchor" person each.
//
// The anchor's sex and age are drawn against the national age/sex table (through the quota); the
// other members follow from family logic (spouses of similar age, children born to parents aged
// 18–45/55, …). Drawing those ages through the quota too is what keeps the whole population on
// the national distribution even though most people are placed by family rules.
import type { Relationship, Sex } from '../import-row.ts';
import { MAX_AGE } from './age-sex-distribution.ts';
import type { AgeSexQuota } from './age-sex-quota.ts';
import { draft, type Draft, type KosekiMode, type Shape } from './household-draft.ts';
import { MIN_SIZE, childRoleProbability, typeWeights, type HouseholdType } from './household-mix.ts';
import { SPOUSE_NATIONALITY_WEIGHTS, nationalityNamed, pickNationality, type ResidenceStatus } from './name-data.ts';
import { cumulative, type Prng } from './prng.ts';
import { DEPENDANT_STATUS, profileOf } from './residence-status-profiles.ts';

const opposite = (sex: Sex): Sex => (sex === 'male' ? 'female' : 'male');

export class HouseholdComposer {
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
    const profile = profileOf(status);
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
