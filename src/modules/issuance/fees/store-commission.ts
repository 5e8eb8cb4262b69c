// The store operator's commission (委託手数料) per printed copy, by period: 123 yen, 115 yen from FY2017 (総務省 action programme, seed 001).

/** One price period: from `from` (JST date, inclusive) the commission is `yen` per copy. */
export interface CommissionPeriod {
  from: string;
  yen: number;
}

/** The periods of the seeds, and the default of `MYNA_ISSUANCE_COMMISSION_PERIODS` (src/kernel/config.ts), which replaces them. */
export const DEFAULT_COMMISSION_PERIODS: readonly CommissionPeriod[] = [
  { from: '2010-02-01', yen: 123 },
  { from: '2017-04-01', yen: 115 },
];

/**
 * The commission per copy on a JST date: the last period starting on or before it.
 * @example commissionPerCopy('2017-03-31') // 123
 */
export function commissionPerCopy(onDate: string, periods: readonly CommissionPeriod[] = DEFAULT_COMMISSION_PERIODS): number {
  let yen: number | undefined;
  for (const period of [...periods].sort((a, b) => a.from.localeCompare(b.from))) if (period.from <= onDate) yen = period.yen;
  if (yen === undefined) throw new RangeError(`no commission period covers ${onDate}`);
  return yen;
}
