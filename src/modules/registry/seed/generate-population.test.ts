// Tests of the synthetic population generator: determinism, exact counts, the invariants of every record, and the national age/sex mix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ageOn, isIsoDate } from '../../../kernel/clock.ts';
import type { Relationship, ResidentImportRow } from '../import-row.ts';
import { validateResidentRow } from '../validate-resident-row.ts';
import { AGE_BANDS, MAX_AGE, TOTAL_POPULATION, bandIndexOfAge, sampleAgeSex } from './age-sex-distribution.ts';
import { TOWN_NAMES } from './address-data.ts';
import {
  BASIC_DEDUCTION_YEN, FOREIGN_RESIDENT_SHARE, generateHouseholds, renderSealSvg, residentTaxYen,
  type GenerateOptions, type SyntheticHousehold,
} from './generate-population.ts';
import { FOREIGN_NATIONALITIES, GIVEN_NAMES, RESIDENCE_STATUSES, SURNAMES } from './name-data.ts';
import { Prng } from './prng.ts';

const BASE: GenerateOptions = {
  lgCode: '132047', municipalityName: '三鷹市', prefecture: '東京都', residents: 0, seed: 'test', asOf: '2026-04-01',
};
const LOCALITY = `${BASE.prefecture}${BASE.municipalityName}`;

function generate(overrides: Partial<GenerateOptions>): SyntheticHousehold[] {
  return [...generateHouseholds({ ...BASE, ...overrides })];
}

function people(households: readonly SyntheticHousehold[]): ResidentImportRow[] {
  return households.flatMap((h) => h.members);
}

const DAY_MS = 86_400_000;
const daysBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / DAY_MS;
/** Full-width katakana and the prolonged sound mark; foreign names may also use the middle dot. */
const JAPANESE_KANA = /^[\u30A1-\u30FA\u30FC]+$/;
const FOREIGN_KANA = /^[\u30A1-\u30FA\u30FB\u30FC]+$/;
const TOWN_PATTERN = TOWN_NAMES.join('|');
const ADDRESS = new RegExp(`^${LOCALITY}(${TOWN_PATTERN})[1-9]\\d*丁目[1-9]\\d*番[1-9]\\d*号( \\S+ [1-9]\\d{2}号室)?$`);
const LOCAL_HONSEKI = new RegExp(`^${LOCALITY}(${TOWN_PATTERN})[1-9]\\d*番地$`);
const KOSEKI_TERMS = new Set(['筆頭者', '妻', '夫', '長男', '二男', '三男', '四男', '五男', '六男', '長女', '二女', '三女', '四女', '五女', '六女']);
const NO_EXPIRY = new Set(['永住者', '特別永住者']);
const fullName = (row: ResidentImportRow) => `${row.familyName}\u3000${row.givenName}`;

// One large run shared by the invariant and distribution tests (generation is the slow part).
const LARGE_ASOF = '2028-02-29';
const large = generate({ residents: 20_000, seed: 'distribution', asOf: LARGE_ASOF });

test('the same options give identical households and another seed gives other people', () => {
  const first = generate({ residents: 800 });
  assert.deepEqual(generate({ residents: 800 }), first);
  const other = people(generate({ residents: 800, seed: 'another' }));
  const names = (rows: ResidentImportRow[]) => rows.map((r) => `${r.familyName}${r.givenName}${r.birthDate}`);
  const shared = names(other).filter((n) => new Set(names(people(first))).has(n));
  assert.ok(shared.length < 10, `${shared.length} identical people across seeds`);
});

test('a larger run starts with the same households as a smaller one', () => {
  const small = generate({ residents: 1000 });
  const bigger = generate({ residents: 3000 });
  // Only the last few households of a run are shaped to fit the remaining count exactly.
  let covered = 0;
  for (const [i, household] of small.entries()) {
    covered += household.members.length;
    if (covered > 980) break;
    assert.deepEqual(household, bigger[i]);
  }
});

test('yields exactly the requested number of residents', () => {
  for (const residents of [0, 1, 2, 7, 1000]) {
    for (const seed of ['a', 'b', 'c']) {
      const households = generate({ residents, seed });
      assert.equal(people(households).length, residents, `residents=${residents} seed=${seed}`);
      assert.ok(households.every((h) => h.members.length > 0));
    }
  }
});

test('rejects a negative or fractional count and an impossible date', () => {
  assert.throws(() => generate({ residents: -1 }), RangeError);
  assert.throws(() => generate({ residents: 1.5 }), RangeError);
  assert.throws(() => generate({ residents: 1, asOf: '2026-02-30' }), RangeError);
});

test('every row passes the import validator and has valid, consistent dates', () => {
  for (const [line, row] of people(large).entries()) {
    assert.deepEqual(validateResidentRow(row, line + 2, LARGE_ASOF), [], JSON.stringify(row));
    for (const date of [row.birthDate, row.registeredOn]) {
      assert.ok(isIsoDate(date) && date <= LARGE_ASOF, `${date} of ${row.householdKey}`);
    }
    assert.ok(row.birthDate <= row.registeredOn, `registered before birth: ${JSON.stringify(row)}`);
    assert.ok(ageOn(row.birthDate, LARGE_ASOF) <= 105);
    assert.match(row.address, ADDRESS);
    assert.match(row.postalCode, /^\d{7}$/);
  }
});

test('households: unique keys, one head first, one address, adult head', () => {
  const keys = new Set<string>();
  const postalByTown = new Map<string, string>();
  for (const { members } of large) {
    const head = members[0]!;
    assert.equal(head.relationship, '世帯主');
    assert.equal(members.filter((m) => m.relationship === '世帯主').length, 1);
    assert.ok(ageOn(head.birthDate, LARGE_ASOF) >= 18, `minor head ${JSON.stringify(head)}`);
    assert.ok(!keys.has(head.householdKey), `duplicate key ${head.householdKey}`);
    keys.add(head.householdKey);
    for (const m of members) {
      assert.equal(m.householdKey, head.householdKey);
      assert.equal(m.address, head.address);
      assert.equal(m.postalCode, head.postalCode);
    }
    const town = head.address.slice(LOCALITY.length).replace(/\d.*$/, '');
    assert.equal(postalByTown.get(town) ?? head.postalCode, head.postalCode, `postal code of ${town} varies`);
    postalByTown.set(town, head.postalCode);
  }
  assert.equal(new Set(postalByTown.values()).size, postalByTown.size, 'two towns share a postal code');
});

test('names: katakana readings, shared surnames within a Japanese family', () => {
  for (const { members } of large) {
    const head = members[0]!;
    for (const m of members) {
      const kana = m.nationality === null ? JAPANESE_KANA : FOREIGN_KANA;
      assert.match(m.familyNameKana, kana);
      assert.match(m.givenNameKana, kana);
    }
    if (head.nationality !== null) continue;
    for (const m of members.filter((x) => ['妻', '夫', '子', '孫', '子の妻', '父', '母'].includes(x.relationship) && x.nationality === null)) {
      assert.equal(m.familyName, head.familyName, `${m.relationship} of ${head.householdKey}`);
      assert.equal(m.familyNameKana, head.familyNameKana);
    }
  }
});

test('families: spouses of opposite sex within 10 years, parents at least 18 at each birth', () => {
  for (const { members } of large) {
    const head = members[0]!;
    const age = (m: ResidentImportRow) => ageOn(m.birthDate, LARGE_ASOF);
    const spouse = members.find((m) => m.relationship === '妻' || m.relationship === '夫');
    if (spouse) {
      assert.notEqual(spouse.sex, head.sex);
      assert.ok(Math.abs(age(spouse) - age(head)) <= 10, `spouses ${head.birthDate} / ${spouse.birthDate}`);
    }
    const checkParents = (children: ResidentImportRow[], parents: ResidentImportRow[]) => {
      for (const child of children) {
        for (const parent of parents) {
          const atBirth = ageOn(parent.birthDate, child.birthDate);
          assert.ok(atBirth >= 18, `${parent.relationship} ${parent.birthDate} → ${child.relationship} ${child.birthDate}`);
          if (parent.sex === 'female') assert.ok(atBirth <= 45, `mother aged ${atBirth}`);
        }
      }
      // Children of one couple are twins or born at least 300 days apart.
      for (const a of children) {
        for (const b of children) {
          const gap = Math.abs(daysBetween(a.birthDate, b.birthDate));
          assert.ok(a === b || gap === 0 || gap >= 300, `siblings ${a.birthDate} / ${b.birthDate}`);
        }
      }
    };
    const children = members.filter((m) => m.relationship === '子');
    const grandchildren = members.filter((m) => m.relationship === '孫');
    if (grandchildren.length > 0) {
      checkParents(grandchildren, members.filter((m) => m.relationship === '子' || m.relationship === '子の妻'));
    }
    checkParents(children, [head, ...(spouse ? [spouse] : [])]);
    checkParents([head], members.filter((m) => m.relationship === '父' || m.relationship === '母'));
    if (spouse) checkParents([spouse], members.filter((m) => m.relationship === '妻の父' || m.relationship === '妻の母'));
  }
});

test('foreign residents have residence data and no 本籍; Japanese residents the reverse', () => {
  const statuses: ReadonlySet<string> = new Set(RESIDENCE_STATUSES);
  const nationalities = new Set(FOREIGN_NATIONALITIES.map((n) => n.nationality));
  const cards = new Set<string>();
  for (const row of people(large)) {
    if (row.nationality === null) {
      assert.ok(row.honseki && row.hittosha, `Japanese without 本籍: ${JSON.stringify(row)}`);
      assert.equal(row.residenceStatus, null);
      assert.equal(row.residenceExpiry, null);
      assert.equal(row.residenceCardNumber, null);
      continue;
    }
    assert.ok(nationalities.has(row.nationality));
    assert.equal(row.honseki, null);
    assert.equal(row.hittosha, null);
    assert.ok(row.residenceStatus && statuses.has(row.residenceStatus), `status ${row.residenceStatus}`);
    if (NO_EXPIRY.has(row.residenceStatus)) assert.equal(row.residenceExpiry, null);
    else assert.ok(row.residenceExpiry && isIsoDate(row.residenceExpiry) && row.residenceExpiry > LARGE_ASOF, `expiry ${row.residenceExpiry}`);
    assert.match(row.residenceCardNumber ?? '', /^[A-Z]{2}\d{8}[A-Z]{2}$/);
    assert.ok(!cards.has(row.residenceCardNumber!), 'duplicate residence card number');
    cards.add(row.residenceCardNumber!);
    if (row.aliasName !== null) assert.match(row.aliasName, /^\S+\u3000\S+$/);
  }
});

test('seals: adults only, dated between registration and the reference date, unique numbers', () => {
  const numbers = new Set<string>();
  for (const { members, seals } of large) {
    assert.equal(new Set(seals.map((s) => s.memberIndex)).size, seals.length, 'two seals for one person');
    for (const seal of seals) {
      const member = members[seal.memberIndex];
      assert.ok(member, `seal for missing member ${seal.memberIndex}`);
      assert.ok(isIsoDate(seal.registeredOn) && seal.registeredOn <= LARGE_ASOF);
      assert.ok(seal.registeredOn >= member.registeredOn, 'seal before the person became a resident');
      assert.ok(ageOn(member.birthDate, seal.registeredOn) >= 15, 'seal registered under 15');
      assert.ok(!numbers.has(seal.registrationNo), `duplicate registration number ${seal.registrationNo}`);
      numbers.add(seal.registrationNo);
      const surname = /[A-Za-z]/.test(member.familyName) ? member.familyNameKana : member.familyName;
      for (const char of surname) assert.ok(seal.imageSvg.includes(`>${char}</text>`), `${char} missing in seal`);
      assert.match(seal.imageSvg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*>.*<circle .*<\/svg>$/);
    }
  }
});

test('the seal image escapes XML special characters', () => {
  const svg = renderSealSvg('A&<"\'>');
  assert.ok(svg.includes('>&amp;</text>') && svg.includes('>&lt;</text>') && svg.includes('>&quot;</text>'));
  assert.ok(svg.includes('>&apos;</text>') && svg.includes('>&gt;</text>'));
  assert.equal(svg.match(/<text /g)?.length, 6);
});

test('taxes: one row per resident aged 16+, for the previous 年度, with 10% of 所得 above the basic deduction', () => {
  // 2028-02-29 lies in 年度 2027, so the previous 年度 is 2026.
  for (const { members, taxes } of large) {
    const expected = members.flatMap((m, i) => (ageOn(m.birthDate, LARGE_ASOF) >= 16 ? [i] : []));
    assert.deepEqual(taxes.map((t) => t.memberIndex), expected);
    for (const tax of taxes) {
      assert.equal(tax.fiscalYear, 2026);
      assert.ok(Number.isSafeInteger(tax.incomeYen) && tax.incomeYen >= 0);
      assert.ok(Number.isSafeInteger(tax.taxYen) && tax.taxYen >= 0 && tax.taxYen % 100 === 0);
      const taxable = Math.max(0, tax.incomeYen - BASIC_DEDUCTION_YEN);
      assert.equal(tax.taxYen, Math.floor(taxable / 10 / 100) * 100);
    }
  }
  assert.equal(residentTaxYen(0), 0);
  assert.equal(residentTaxYen(430_000), 0);
  assert.equal(residentTaxYen(431_999), 100);
  assert.equal(residentTaxYen(5_000_000), 457_000);
  const incomes = large.flatMap((h) => h.taxes.map((t) => t.incomeYen));
  const zero = incomes.filter((i) => i === 0).length / incomes.length;
  assert.ok(zero > 0.15 && zero < 0.5, `share of zero incomes ${zero}`);
});

test('asOf in January–March gives the 年度 two calendar years back', () => {
  const [household] = generate({ residents: 1, asOf: '2026-03-31' });
  assert.equal(household!.taxes[0]!.fiscalYear, 2024);
  const [april] = generate({ residents: 1, asOf: '2026-04-01' });
  assert.equal(april!.taxes[0]!.fiscalYear, 2025);
});

test('family registers: only local 本籍 of Japanese households, consistent with the rows', () => {
  const registers = new Set<string>();
  for (const { members, familyRegister } of large) {
    const head = members[0]!;
    const local = head.nationality === null && head.honseki!.startsWith(LOCALITY);
    assert.equal(familyRegister !== null, local, `register presence for ${head.householdKey}`);
    if (!familyRegister) continue;
    assert.match(familyRegister.honseki, LOCAL_HONSEKI);
    assert.equal(familyRegister.honseki, head.honseki);
    assert.equal(familyRegister.hittosha, head.hittosha);
    const key = `${familyRegister.honseki}|${familyRegister.hittosha}`;
    assert.ok(!registers.has(key), `two registers for ${key}`);
    registers.add(key);
    assert.ok(familyRegister.members.some((m) => m.memberIndex === 0), 'head missing from own 戸籍');
    assert.equal(new Set(familyRegister.members.map((m) => m.memberIndex)).size, familyRegister.members.length);
    for (const { memberIndex, relationship } of familyRegister.members) {
      const member = members[memberIndex]!;
      assert.ok(KOSEKI_TERMS.has(relationship), relationship);
      assert.equal(member.nationality, null);
      assert.equal(member.honseki, familyRegister.honseki);
      assert.equal(member.hittosha, familyRegister.hittosha);
      if (relationship === '筆頭者') assert.equal(fullName(member), familyRegister.hittosha);
      if (relationship === '妻') assert.equal(member.sex, 'female');
      if (/男$/.test(relationship)) assert.equal(member.sex, 'male');
      if (/女$/.test(relationship)) assert.equal(member.sex, 'female');
    }
    const heads = familyRegister.members.filter((m) => m.relationship === '筆頭者');
    assert.ok(heads.length <= 1);
    if (heads.length === 1) assert.equal(familyRegister.members[0]!.relationship, '筆頭者');
    // A wife heading the household is recorded under her husband as 筆頭者.
    const husband = members.findIndex((m) => m.relationship === '夫');
    if (husband >= 0) assert.deepEqual(heads.map((m) => m.memberIndex), [husband]);
  }
});

test('ages and sexes follow the national 2017 distribution', () => {
  const rows = people(large);
  const counts = AGE_BANDS.map(() => 0);
  let male = 0;
  for (const row of rows) {
    counts[bandIndexOfAge(ageOn(row.birthDate, LARGE_ASOF))]! += 1;
    if (row.sex === 'male') male++;
  }
  AGE_BANDS.forEach((band, i) => {
    const expected = (band.male + band.female) / TOTAL_POPULATION * 100;
    const actual = counts[i]! / rows.length * 100;
    assert.ok(Math.abs(actual - expected) <= 1.5, `${band.label}: ${actual.toFixed(2)}% vs ${expected.toFixed(2)}%`);
  });
  const expectedMale = AGE_BANDS.reduce((s, b) => s + b.male, 0) / TOTAL_POPULATION * 100;
  const actualMale = male / rows.length * 100;
  assert.ok(Math.abs(actualMale - expectedMale) <= 2, `male ${actualMale.toFixed(2)}% vs ${expectedMale.toFixed(2)}%`);
});

test('the household mix resembles a Japanese municipality', () => {
  const rows = people(large);
  const foreign = rows.filter((r) => r.nationality !== null).length / rows.length;
  assert.ok(Math.abs(foreign - FOREIGN_RESIDENT_SHARE) < 0.005, `foreign share ${foreign}`);
  const single = large.filter((h) => h.members.length === 1).length / large.length;
  assert.ok(single > 0.33 && single < 0.43, `single-person households ${single}`);
  const japanese = large.filter((h) => h.members[0]!.nationality === null);
  const localHonseki = japanese.filter((h) => h.members[0]!.honseki!.startsWith(LOCALITY)).length / japanese.length;
  assert.ok(Math.abs(localHonseki - 0.45) < 0.05, `local 本籍 ${localHonseki}`);
  const adults = rows.filter((r) => ageOn(r.birthDate, LARGE_ASOF) >= 15).length;
  const seals = large.reduce((sum, h) => sum + h.seals.length, 0) / adults;
  assert.ok(Math.abs(seals - 0.55) < 0.05, `seal share ${seals}`);
  const relationships = new Set(rows.map((r) => r.relationship));
  for (const r of ['子', '父', '母', '孫', '子の妻', '同居人', '未届の妻'] as Relationship[]) assert.ok(relationships.has(r), `no ${r}`);
});

test('given names follow the generations', () => {
  const modern = new Set([...GIVEN_NAMES.male.slice(3), ...GIVEN_NAMES.female.slice(3)].flat().map(([name]) => name));
  const old = new Set([...GIVEN_NAMES.male.slice(0, 2), ...GIVEN_NAMES.female.slice(0, 2)].flat().map(([name]) => name));
  for (const row of people(large)) {
    if (row.nationality !== null) continue;
    const year = Number(row.birthDate.slice(0, 4));
    if (year < 1945) assert.ok(!modern.has(row.givenName) || old.has(row.givenName), `${row.givenName} born ${year}`);
    if (year >= 2005) assert.ok(!old.has(row.givenName) || modern.has(row.givenName), `${row.givenName} born ${year}`);
  }
});

test('the reference data is complete', () => {
  assert.equal(AGE_BANDS.reduce((s, b) => s + b.male, 0), 62_394_249);
  assert.equal(AGE_BANDS.reduce((s, b) => s + b.female, 0), 65_512_765);
  assert.equal(TOTAL_POPULATION, 127_907_014);
  assert.ok(new Set(SURNAMES.map(([name]) => name)).size >= 150);
  for (const sex of ['male', 'female'] as const) {
    assert.ok(new Set(GIVEN_NAMES[sex].flat().map(([name]) => name)).size >= 100, sex);
  }
  for (const [, kana] of [...SURNAMES, ...GIVEN_NAMES.male.flat(), ...GIVEN_NAMES.female.flat()]) assert.match(kana, JAPANESE_KANA);
  assert.ok(FOREIGN_NATIONALITIES.length >= 15);
  const statuses: ReadonlySet<string> = new Set(RESIDENCE_STATUSES);
  for (const n of FOREIGN_NATIONALITIES) {
    for (const status of Object.keys(n.statuses)) assert.ok(statuses.has(status), `${n.nationality}: ${status}`);
    for (const [, kana] of [...n.surnames, ...n.male, ...n.female]) assert.match(kana, FOREIGN_KANA);
  }
  assert.equal(new Set(TOWN_NAMES).size, TOWN_NAMES.length);
  assert.ok(TOWN_NAMES.length >= 40);
});

test('sampleAgeSex draws from the table, ages uniform within bands and 100+ spread to 105', () => {
  const prng = new Prng('sample');
  const counts = AGE_BANDS.map(() => 0);
  let oldest = 0;
  for (let i = 0; i < 50_000; i++) {
    const { age } = sampleAgeSex(prng);
    counts[bandIndexOfAge(age)]! += 1;
    oldest = Math.max(oldest, age);
  }
  AGE_BANDS.forEach((band, i) => {
    const expected = (band.male + band.female) / TOTAL_POPULATION;
    assert.ok(Math.abs(counts[i]! / 50_000 - expected) < 0.006, band.label);
  });
  assert.ok(oldest > 100 && oldest <= MAX_AGE);
});

test('the PRNG sequence is fixed for a seed', () => {
  const prng = new Prng('myna');
  assert.deepEqual([prng.int(0, 999_999), prng.int(0, 999_999), prng.int(0, 999_999)], [70855, 928281, 521028]);
});
