// Validity of user certificates: until the 5th birthday after issuance, or the card's expiry if earlier (公的個人認証法施行規則).
import { jstDate } from '../../kernel/clock.ts';
import { nthBirthdayAfter } from '../../kernel/birthdays.ts';

/** Years of validity counted in birthdays after issuance. */
const BIRTHDAYS = 5;

/** 23:59:59 JST of a calendar day, as an instant (JST has no daylight saving: a fixed −9 h). */
export function endOfJstDay(isoDate: string): Date {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d, 14, 59, 59));
}

/**
 * The 5th birthday strictly after the issue date (発行の日後5回目の誕生日): issued on one's birthday,
 * that day does not count.
 * @example fifthBirthdayAfter('1990-01-02', '2026-11-24') // '2031-01-02'
 */
export function fifthBirthdayAfter(birthDate: string, issuedOn: string): string {
  return nthBirthdayAfter(birthDate, issuedOn, BIRTHDAYS);
}

/**
 * notBefore (now, whole seconds) and notAfter (23:59:59 JST of the 5th birthday after issuance, or of
 * the card's expiry date when that comes first).
 * @example certificateValidity(new Date('2026-11-24T01:00:00Z'), '1990-01-02', '2036-01-02')
 */
export function certificateValidity(now: Date, birthDate: string, cardExpiresOn?: string): { notBefore: Date; notAfter: Date } {
  const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const byBirthday = fifthBirthdayAfter(birthDate, jstDate(now));
  const lastDay = cardExpiresOn !== undefined && cardExpiresOn < byBirthday ? cardExpiresOn : byBirthday;
  return { notBefore, notAfter: endOfJstDay(lastDay) };
}
