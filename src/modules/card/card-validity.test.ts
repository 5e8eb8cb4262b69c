// Card validity: the n-th birthday after the issue date, minors' shorter term, the renewal window.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cardExpiresOn, inRenewalWindow } from './card-validity.ts';
import { DEFAULT_CARD_SETTINGS } from './config.ts';

test('adults until the 10th birthday after issuance, under 20 the 5th; 29 February falls on the 28th', () => {
  assert.equal(cardExpiresOn('1990-01-02', '2026-11-24', DEFAULT_CARD_SETTINGS), '2036-01-02');
  assert.equal(cardExpiresOn('1990-11-24', '2026-11-24', DEFAULT_CARD_SETTINGS), '2036-11-24', 'issued on the birthday: that day does not count');
  assert.equal(cardExpiresOn('2007-11-25', '2026-11-24', DEFAULT_CARD_SETTINGS), '2030-11-25', 'aged 18: minor under the seeds\' rule');
  assert.equal(cardExpiresOn('2007-11-25', '2026-11-24', { ...DEFAULT_CARD_SETTINGS, minorAge: 18 }), '2035-11-25', 'the 2022 rule (18) is one setting away');
  assert.equal(cardExpiresOn('1996-02-29', '2026-11-24', DEFAULT_CARD_SETTINGS), '2036-02-29');
  assert.equal(cardExpiresOn('1996-02-29', '2027-03-01', DEFAULT_CARD_SETTINGS), '2037-02-28');
});

test('renewal opens 3 months before expiry', () => {
  assert.equal(inRenewalWindow('2027-02-10', '2026-11-09', DEFAULT_CARD_SETTINGS), false);
  assert.equal(inRenewalWindow('2027-02-10', '2026-11-10', DEFAULT_CARD_SETTINGS), true);
  assert.equal(inRenewalWindow('2027-02-10', '2027-02-10', DEFAULT_CARD_SETTINGS), true);
});
