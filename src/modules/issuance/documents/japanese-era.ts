// 和暦: dates as certificates print them (令和7年11月24日, 令和元年5月1日), from the era table of 元号法 proclamations.
import { jstDate } from '../../../kernel/clock.ts';

/** The first day (Gregorian, Japan time) of each era, newest first. */
const ERAS: readonly { name: string; from: string }[] = [
  { name: '令和', from: '2019-05-01' },
  { name: '平成', from: '1989-01-08' },
  { name: '昭和', from: '1926-12-25' },
  { name: '大正', from: '1912-07-30' },
  { name: '明治', from: '1868-01-25' },
];

/**
 * Japan used the lunisolar calendar until 明治5年12月2日; 明治6年1月1日 is the first Gregorian day,
 * so an earlier Gregorian date has no faithful 和暦 form here.
 */
const FIRST_GREGORIAN_DAY = '1873-01-01';

const FULLWIDTH_DIGITS = '０１２３４５６７８９';

/** Options of {@link japaneseEraDate}. */
export interface EraDateOptions {
  /** `fullwidth` prints ０–９ as 戸籍 certificates do; default `ascii`. */
  digits?: 'ascii' | 'fullwidth';
}

/**
 * A date in 和暦: `令和7年11月24日`; the first year of an era is 元年. A `Date` is taken in Japan
 * time (an issue at 2025-11-23T15:30Z is 令和7年11月24日); a string must be `YYYY-MM-DD`.
 *
 * @example
 * japaneseEraDate('2019-05-01');                            // '令和元年5月1日'
 * japaneseEraDate('1985-06-15', { digits: 'fullwidth' });   // '昭和６０年６月１５日'
 */
export function japaneseEraDate(date: Date | string, options: EraDateOptions = {}): string {
  const iso = typeof date === 'string' ? date : jstDate(date);
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) throw new TypeError(`japaneseEraDate: expected YYYY-MM-DD, got ${JSON.stringify(iso)}`);
  if (iso < FIRST_GREGORIAN_DAY) throw new RangeError(`japaneseEraDate: ${iso} is before the Gregorian calendar in Japan (1873-01-01)`);
  // ISO dates compare correctly as strings.
  const era = ERAS.find((e) => iso >= e.from)!;
  const year = Number(match[1]) - Number(era.from.slice(0, 4)) + 1;
  const digits = options.digits === 'fullwidth'
    ? (n: number) => String(n).replace(/\d/g, (d) => FULLWIDTH_DIGITS[Number(d)]!)
    : String;
  return `${era.name}${year === 1 ? '元' : digits(year)}年${digits(Number(match[2]))}月${digits(Number(match[3]))}日`;
}
