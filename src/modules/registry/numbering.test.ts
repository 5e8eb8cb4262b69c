// Numbering: deterministic, valid check digits, and one-to-one over sequence numbers and generations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidIndividualNumber, isValidResidentCode } from '../../kernel/ids/check-digits.ts';
import { deriveNumberingKeys, individualNumbersFor, residentCodesFromSequence } from './numbering.ts';

const keys = deriveNumberingKeys(Buffer.alloc(32, 7));

test('derivation and numbering are deterministic', () => {
  const again = deriveNumberingKeys(Buffer.alloc(32, 7));
  assert.deepEqual(again, keys);
  assert.notDeepEqual(keys.residentCode, keys.individualNumber);
  const codes = residentCodesFromSequence(keys, 1000, 50);
  assert.deepEqual(residentCodesFromSequence(again, 1000, 50), codes);
  assert.deepEqual(individualNumbersFor(again, codes, 0), individualNumbersFor(keys, codes, 0));
  // A range is the concatenation of its parts, so imports may reserve sequence numbers in any chunks.
  assert.deepEqual([...residentCodesFromSequence(keys, 1000, 20), ...residentCodesFromSequence(keys, 1020, 30)], codes);
});

test('codes and numbers have the right length and valid check digits', () => {
  const codes = residentCodesFromSequence(keys, 0, 2000);
  for (const code of codes) assert.ok(isValidResidentCode(code), 'resident code check digit');
  const numbers = individualNumbersFor(keys, codes, 0);
  for (const n of numbers) assert.ok(isValidIndividualNumber(n), 'individual number check digit');
  assert.deepEqual(residentCodesFromSequence(keys, 10 ** 10 - 2, 2).map((c) => c.length), [11, 11]);
});

test('100k consecutive sequence numbers give 100k distinct, non-sequential codes', () => {
  const codes = residentCodesFromSequence(keys, 5_000_000, 100_000);
  assert.equal(new Set(codes).size, 100_000);
  const ascending = codes.filter((c, i) => i > 0 && c > codes[i - 1]!).length;
  assert.ok(ascending > 40_000 && ascending < 60_000, 'order of issue is not visible in the codes');
});

test('generations 0..9 of 10k codes give 100k distinct numbers', () => {
  const codes = residentCodesFromSequence(keys, 0, 10_000);
  const all = new Set<string>();
  for (let g = 0; g <= 9; g++) for (const n of individualNumbersFor(keys, codes, g)) all.add(n);
  assert.equal(all.size, 100_000);
});

test('a re-derivation at generation g + 1 differs from generation g for every person', () => {
  const codes = residentCodesFromSequence(keys, 42, 1000);
  for (let g = 0; g < 9; g++) {
    const before = individualNumbersFor(keys, codes, g);
    const after = individualNumbersFor(keys, codes, g + 1);
    for (let i = 0; i < codes.length; i++) assert.notEqual(after[i], before[i], `generation ${g + 1}, index ${i}`);
  }
});

test('different master keys give different codes and numbers', () => {
  const other = deriveNumberingKeys(Buffer.alloc(32, 8));
  const codes = residentCodesFromSequence(keys, 0, 1000);
  const otherCodes = residentCodesFromSequence(other, 0, 1000);
  assert.ok(codes.filter((c, i) => c === otherCodes[i]).length < 5);
  const numbers = individualNumbersFor(keys, codes, 0);
  const otherNumbers = individualNumbersFor(other, codes, 0);
  assert.ok(numbers.filter((n, i) => n === otherNumbers[i]).length < 5);
});

test('rejects bad ranges, generations, codes and master keys with TypeError, without echoing a code', () => {
  assert.throws(() => residentCodesFromSequence(keys, -1, 1), TypeError);
  assert.throws(() => residentCodesFromSequence(keys, 10 ** 10 - 1, 2), TypeError);
  assert.throws(() => residentCodesFromSequence(keys, 0.5, 1), TypeError);
  assert.throws(() => residentCodesFromSequence(keys, 0, -1), TypeError);
  const [code] = residentCodesFromSequence(keys, 0, 1) as [string];
  for (const g of [-1, 10, 1.5, Number.NaN]) assert.throws(() => individualNumbersFor(keys, [code], g), TypeError, String(g));
  const badCheck = code.slice(0, 10) + String((Number(code[10]) + 1) % 10);
  for (const bad of [badCheck, code.slice(0, 10), code + '0', 'abcdefghijk']) {
    assert.throws(() => individualNumbersFor(keys, [code, bad], 0), (e: unknown) => e instanceof TypeError && /index 1/.test(e.message) && !e.message.includes(bad.slice(0, 10)));
  }
  assert.throws(() => deriveNumberingKeys(new Uint8Array(15)), TypeError);
});
