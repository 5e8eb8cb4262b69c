// Certificate validity: the 5th birthday after issuance (strictly after), 2/29 birthdays, the card's expiry, whole seconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { certificateValidity, endOfJstDay, fifthBirthdayAfter } from './certificate-validity.ts';

test('the 5th birthday after the issue date, the issue day itself not counting', () => {
  assert.equal(fifthBirthdayAfter('1990-01-02', '2026-11-24'), '2031-01-02');
  assert.equal(fifthBirthdayAfter('1990-12-31', '2026-11-24'), '2030-12-31');
  // Issued on the birthday: the first birthday after it is next year's.
  assert.equal(fifthBirthdayAfter('1990-11-24', '2026-11-24'), '2031-11-24');
  assert.equal(fifthBirthdayAfter('1990-11-25', '2026-11-24'), '2030-11-25');
});

test('a 29 February birthday falls on 28 February in common years', () => {
  assert.equal(fifthBirthdayAfter('2000-02-29', '2026-11-24'), '2031-02-28');
  assert.equal(fifthBirthdayAfter('2000-02-29', '2027-03-01'), '2032-02-29');
});

test('notAfter is 23:59:59 JST of the last day; the card expiry wins when earlier', () => {
  const now = new Date('2026-11-24T01:00:00.789Z');
  const byBirthday = certificateValidity(now, '1990-01-02');
  assert.equal(byBirthday.notBefore.toISOString(), '2026-11-24T01:00:00.000Z');
  assert.equal(byBirthday.notAfter.toISOString(), '2031-01-02T14:59:59.000Z');
  assert.equal(certificateValidity(now, '1990-01-02', '2029-06-30').notAfter.toISOString(), '2029-06-30T14:59:59.000Z');
  assert.equal(certificateValidity(now, '1990-01-02', '2040-01-01').notAfter.toISOString(), '2031-01-02T14:59:59.000Z');
  assert.equal(endOfJstDay('2031-01-02').toISOString(), '2031-01-02T14:59:59.000Z');
});

test('the JST date decides: 23:30 UTC on the 23rd is already the 24th in Japan', () => {
  // 2026-11-23T23:30Z = 2026-11-24 08:30 JST; born on 11-24, the 24th is the issue day and does not count.
  assert.equal(certificateValidity(new Date('2026-11-23T23:30:00Z'), '1990-11-24').notAfter.toISOString(), '2031-11-24T14:59:59.000Z');
});
