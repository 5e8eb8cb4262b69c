// Commission periods and the J-LIS operating charge classes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commissionPerCopy } from './store-commission.ts';
import { operatingCharge } from './operating-charge.ts';
import { checkId } from '../../../kernel/ids/check-digits.ts';

test('123 yen per copy before FY2017, 115 yen from 2017-04-01; configurable periods', () => {
  assert.equal(commissionPerCopy('2016-12-01'), 123);
  assert.equal(commissionPerCopy('2017-03-31'), 123);
  assert.equal(commissionPerCopy('2017-04-01'), 115);
  assert.equal(commissionPerCopy('2026-11-24'), 115);
  assert.equal(commissionPerCopy('2027-05-01', [{ from: '2017-04-01', yen: 115 }, { from: '2027-04-01', yen: 110 }]), 110);
  assert.throws(() => commissionPerCopy('2000-01-01'), RangeError);
});

test('operating charge by class (FY2017 table)', () => {
  assert.deepEqual(operatingCharge({ lgCode: '141003', name: '横浜市', population: 3_700_000 }), { classJa: '政令市（100万以上）', yenPerYear: 9_700_000 });
  assert.equal(operatingCharge({ lgCode: '141500', name: '相模原市', population: 720_000 }).yenPerYear, 7_700_000);
  assert.equal(operatingCharge({ lgCode: '132047', name: '三鷹市', population: 190_000 }).yenPerYear, 4_700_000);
  assert.equal(operatingCharge({ lgCode: '131016', name: '千代田区', population: 68_000 }).yenPerYear, 2_700_000);
  assert.equal(operatingCharge({ lgCode: '012025', name: '小樽市', population: 45_000 }).yenPerYear, 2_200_000);
  assert.equal(operatingCharge({ lgCode: '133035', name: '瑞穂町', population: 33_000 }).yenPerYear, 700_000);
});

test('the designated cities\' codes carry valid check digits', async () => {
  const source = (await import('node:fs')).readFileSync(new URL('./operating-charge.ts', import.meta.url), 'utf8');
  const codes = [...source.matchAll(/'(\d{6})'/g)].map((m) => m[1]!);
  assert.equal(codes.length, 20);
  for (const code of codes) assert.equal(checkId('lg-code', code).valid, true, code);
});

test('every class of the FY2017 table (seed 001, test/vectors copy): on each population boundary and one past it', async () => {
  const { readFileSync } = await import('node:fs');
  const [header, ...rows] = readFileSync(new URL('../../../../test/vectors/jlis-konbini-operating-charge-tiers-fy2017.csv', import.meta.url), 'utf8').trim().split('\n').map((l) => l.split(','));
  const column = (name: string) => header!.indexOf(name);
  // One municipality of each kind; only the population varies.
  const sample = { designated_city: { lgCode: '141003', name: '横浜市' }, city_or_ward: { lgCode: '132047', name: '三鷹市' }, city: { lgCode: '132047', name: '三鷹市' }, town_village: { lgCode: '133035', name: '瑞穂町' } };
  assert.equal(rows.length, 6);
  for (const row of rows) {
    const kind = row[column('municipality_class')] as keyof typeof sample;
    const yen = Number(row[column('charge_new_thousand_yen_per_year')]) * 1000;
    const min = row[column('population_min')] ? Number(row[column('population_min')]) : undefined;
    const max = row[column('population_max')] ? Number(row[column('population_max')]) : undefined;
    const at = (population: number) => operatingCharge({ ...sample[kind], population }).yenPerYear;
    const label = `${row[column('municipality_class_ja')]} ${row[column('population_class_ja')]}`;
    if (min !== undefined) {
      assert.equal(at(min), yen, `${label}: exactly ${min}`);
      assert.equal(at(min + 1), yen, `${label}: ${min + 1}`);
      assert.notEqual(at(min - 1), yen, `${label}: ${min - 1} is the class below`);
    }
    if (max !== undefined) {
      assert.equal(at(max), yen, `${label}: exactly ${max}`);
      assert.notEqual(at(max + 1), yen, `${label}: ${max + 1} is the class above`);
    }
    // 町村 are charged by kind, whatever the population.
    if (min === undefined && max === undefined) for (const population of [3_000, 49_999, 150_000]) assert.equal(at(population), yen, `${label}: ${population}`);
  }
});
