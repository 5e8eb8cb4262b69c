// Calendar arithmetic for the synthetic population: dates as whole days since 1970-01-01.
//
// Conversions use Howard Hinnant's civil-calendar algorithms: exact integer arithmetic, and
// several times faster than going through Date objects, which matters at a few dates per person
// over 100,000 people.
import type { Prng } from './prng.ts';

/** Days since 1970-01-01 of a date; a day past the month's end rolls over (29 Feb 2023 → 1 Mar). */
function dayOf(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** The [year, month, day] of a day number (inverse of dayOf). */
function civil(dayNumber: number): [number, number, number] {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, dayOfYear - Math.floor((153 * mp + 2) / 5) + 1];
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Like dayOf, but 29 February of a common year becomes the 28th (not 1 March). */
function dayOfClamped(year: number, month: number, day: number): number {
  return dayOf(year, month, month === 2 && day === 29 && !isLeapYear(year) ? 28 : day);
}

export function isoOf(dayNumber: number): string {
  const [y, m, d] = civil(dayNumber);
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

export function yearOf(dayNumber: number): number {
  return civil(dayNumber)[0];
}

/** The day someone born on `dayNumber` turns `years` old (a 29 February birthday falls on 1 March). */
export function anniversary(dayNumber: number, years: number): number {
  const [y, m, d] = civil(dayNumber);
  return dayOf(y + years, m, d);
}

/** The `asOf` date, both as its parts and as a day number (`day`). */
export interface ReferenceDate {
  year: number;
  month: number;
  date: number;
  day: number;
}

/** Parses `YYYY-MM-DD`, rejecting dates that do not exist (2026-02-30) rather than rolling them over. */
export function parseAsOf(iso: string): ReferenceDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const [year, month, date] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [NaN, NaN, NaN];
  if (!m || isoOf(dayOf(year, month, date)) !== iso) throw new RangeError(`asOf must be a real date YYYY-MM-DD, got "${iso}"`);
  return { year, month, date, day: dayOf(year, month, date) };
}

/** The first and last possible birth day of someone exactly `age` years old on the reference date. */
export function birthWindow(ref: ReferenceDate, age: number): [number, number] {
  return [dayOfClamped(ref.year - age - 1, ref.month, ref.date) + 1, dayOfClamped(ref.year - age, ref.month, ref.date)];
}

/** A day in [from, to]; `to` when `from` is not earlier, so a window closed by the reference date never throws. */
export function randomDayBetween(prng: Prng, from: number, to: number): number {
  return from >= to ? to : prng.int(from, to);
}
