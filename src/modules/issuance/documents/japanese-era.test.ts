// Tests of 和暦 dates: era boundaries from the proclamations, 元年, Japan time for instants, full-width digits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { japaneseEraDate } from './japanese-era.ts';

test('each era starts on its proclaimed day, and its first year is 元年', () => {
  assert.equal(japaneseEraDate('2019-04-30'), '平成31年4月30日');
  assert.equal(japaneseEraDate('2019-05-01'), '令和元年5月1日');
  assert.equal(japaneseEraDate('2020-01-01'), '令和2年1月1日');
  assert.equal(japaneseEraDate('1989-01-07'), '昭和64年1月7日');
  assert.equal(japaneseEraDate('1989-01-08'), '平成元年1月8日');
  assert.equal(japaneseEraDate('1926-12-24'), '大正15年12月24日');
  assert.equal(japaneseEraDate('1926-12-25'), '昭和元年12月25日');
  assert.equal(japaneseEraDate('1912-07-29'), '明治45年7月29日');
  assert.equal(japaneseEraDate('1912-07-30'), '大正元年7月30日');
  assert.equal(japaneseEraDate('2025-11-24'), '令和7年11月24日');
});

test('an instant is dated in Japan time', () => {
  // 23:30 UTC on 23 November is 08:30 on 24 November in Tokyo.
  assert.equal(japaneseEraDate(new Date('2025-11-23T23:30:00Z')), '令和7年11月24日');
  assert.equal(japaneseEraDate(new Date('2019-04-30T15:00:00Z')), '令和元年5月1日');
});

test('full-width digits, as 戸籍 certificates print them', () => {
  assert.equal(japaneseEraDate('1985-06-15', { digits: 'fullwidth' }), '昭和６０年６月１５日');
  assert.equal(japaneseEraDate('2019-05-01', { digits: 'fullwidth' }), '令和元年５月１日');
});

test('malformed dates and dates before the Gregorian calendar are refused', () => {
  assert.throws(() => japaneseEraDate('2025/11/24'), TypeError);
  assert.throws(() => japaneseEraDate('1872-12-31'), RangeError);
  assert.equal(japaneseEraDate('1873-01-01'), '明治6年1月1日');
});
