// 所得 and 住民税 (所得割) of household members for the 年度 before the reference date.
import type { Sex } from '../import-row.ts';
import type { ReferenceDate } from './calendar.ts';
import type { ResidenceStatus } from './name-data.ts';
import type { Person } from './person.ts';
import type { Prng } from './prng.ts';
import type { RunState } from './run-state.ts';

/** One member's 所得 and 住民税 for a 年度, integer yen. */
export interface SyntheticTax {
  memberIndex: number;
  fiscalYear: number;
  incomeYen: number;
  taxYen: number;
}

/** 住民税 所得割 basic deduction (基礎控除) in yen. */
export const BASIC_DEDUCTION_YEN = 430_000;

/** 年度 before the one containing the reference date (the 年度 starts on 1 April). */
export function previousFiscalYear(ref: ReferenceDate): number {
  return (ref.month >= 4 ? ref.year : ref.year - 1) - 1;
}

/** Ranges of salaried 所得 (after 給与所得控除) in thousands of yen, with weights for young and prime-age earners. */
const SALARY_BRACKETS: readonly (readonly [lo: number, hi: number, young: number, prime: number])[] = [
  [1000, 2000, 25, 12], [2000, 3000, 38, 22], [3000, 4000, 25, 22], [4000, 5500, 9, 20],
  [5500, 8000, 3, 16], [8000, 12000, 0, 6], [12000, 25000, 0, 2],
];

function thousands(prng: Prng, lo: number, hi: number): number {
  return prng.int(lo, hi) * 1000;
}

/** A plausible 所得 (yen) for the year: zero for most pupils, students and many pensioners. */
function annualIncome(prng: Prng, age: number, sex: Sex, status: ResidenceStatus | null): number {
  if (status === '留学') return prng.chance(0.6) ? thousands(prng, 200, 900) : 0;
  if (status === '技能実習' || status === '特定技能') return thousands(prng, 1200, 2600);
  if (status === '家族滞在') return prng.chance(0.3) ? thousands(prng, 100, 900) : 0;
  if (age < 19) return prng.chance(0.15) ? thousands(prng, 50, 450) : 0;
  const r = prng.next();
  if (age < 23) return r < 0.45 ? 0 : r < 0.8 ? thousands(prng, 100, 900) : thousands(prng, 1500, 3000);
  if (age < 65) {
    if (!prng.chance(sex === 'male' ? 0.88 : 0.72)) return prng.chance(0.3) ? thousands(prng, 100, 1000) : 0;
    if (sex === 'female' && prng.chance(0.4)) return thousands(prng, 300, 1500);
    const young = age < 30;
    const weights = SALARY_BRACKETS.map((b) => (young ? b[2] : b[3]));
    let target = prng.next() * weights.reduce((s, w) => s + w, 0);
    const bracket = SALARY_BRACKETS.find((_, i) => (target -= weights[i]!) < 0) ?? SALARY_BRACKETS[0]!;
    return thousands(prng, bracket[0], bracket[1] - 1);
  }
  if (age < 75) return r < 0.3 ? thousands(prng, 1000, 4500) : r < 0.75 ? thousands(prng, 100, 2500) : 0;
  return r < 0.05 ? thousands(prng, 1000, 5000) : r < 0.55 ? thousands(prng, 50, 2000) : 0;
}

/**
 * 住民税 所得割 at 10% of 所得 less the basic deduction, rounded down to 100 yen. A simplification:
 * no 均等割 and no deductions other than 基礎控除.
 */
export function residentTaxYen(incomeYen: number): number {
  return Math.floor(Math.max(0, incomeYen - BASIC_DEDUCTION_YEN) / 1000) * 100;
}

export function taxesFor(state: RunState, people: Person[]): SyntheticTax[] {
  const taxes: SyntheticTax[] = [];
  people.forEach((p, memberIndex) => {
    if (p.draft.age < 16) return;
    const incomeYen = annualIncome(state.prng, p.draft.age, p.draft.sex, p.draft.foreign?.status ?? null);
    taxes.push({ memberIndex, fiscalYear: state.fiscalYear, incomeYen, taxYen: residentTaxYen(incomeYen) });
  });
  return taxes;
}
