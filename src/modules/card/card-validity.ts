// How long a card is valid: until the 10th birthday after issuance, the 5th for minors (seeds; configurable).
import { ageOn } from '../../kernel/clock.ts';
import { nthBirthdayAfter } from '../../kernel/birthdays.ts';
import type { CardSettings } from './contract.ts';

/**
 * The card's last valid day (JST): its holder's n-th birthday after the issue date, n being
 * `validityBirthdays`, or `minorValidityBirthdays` when the holder is younger than `minorAge`.
 * @example cardExpiresOn('1990-01-02', '2026-11-24', DEFAULT_CARD_SETTINGS) // '2036-01-02'
 */
export function cardExpiresOn(birthDate: string, issuedOn: string, settings: CardSettings): string {
  const minor = ageOn(birthDate, issuedOn) < settings.minorAge;
  return nthBirthdayAfter(birthDate, issuedOn, minor ? settings.minorValidityBirthdays : settings.validityBirthdays);
}

/** Whether a renewal application is allowed on `today`: within `renewalWindowMonths` of expiry. */
export function inRenewalWindow(expiresOn: string, today: string, settings: CardSettings): boolean {
  const [y, m, d] = expiresOn.split('-').map(Number) as [number, number, number];
  const opens = new Date(Date.UTC(y, m - 1 - settings.renewalWindowMonths, d));
  return today >= opens.toISOString().slice(0, 10);
}
