// Dates in Japan time: the JST calendar day, real-date checks and age counting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ageOn, formatJst, isIsoDate, jstDate } from './clock.ts';

test('the JST date turns over at 15:00 UTC', () => {
  assert.equal(jstDate(new Date('2026-03-31T14:59:59Z')), '2026-03-31');
  assert.equal(jstDate(new Date('2026-03-31T15:00:00Z')), '2026-04-01');
  assert.equal(formatJst(new Date('2026-03-31T15:00:00Z')), '2026-04-01 00:00:00 JST');
});

test('impossible dates are rejected', () => {
  assert.ok(isIsoDate('2024-02-29'));
  assert.ok(!isIsoDate('2023-02-29'));
  assert.ok(!isIsoDate('2024-13-01'));
  assert.ok(!isIsoDate('2024-1-01'));
  assert.ok(!isIsoDate('20240101'));
});

test('age counts full years, the birthday itself included', () => {
  assert.equal(ageOn('2000-04-02', '2015-04-01'), 14);
  assert.equal(ageOn('2000-04-02', '2015-04-02'), 15);
  assert.equal(ageOn('2004-02-29', '2023-02-28'), 18);
  assert.equal(ageOn('2004-02-29', '2023-03-01'), 19);
});
