// Draws sexes and ages so that the generated population as a whole tracks the national age/sex table.
//
// Most people are placed by family rules (spouses of similar age, children born to parents of
// child-bearing age), which alone would skew the mix; every draw is therefore weighted by how far
// its band is behind or ahead of its national share so far.
import type { Sex } from '../import-row.ts';
import { AGE_BANDS, MAX_AGE, bandIndexOfAge, bandShare } from './age-sex-distribution.ts';
import type { Prng } from './prng.ts';

const SEXES: readonly Sex[] = ['male', 'female'];

/**
 * Draws ages so that the produced population tracks the national table: each band's weight is
 * its national share times a correction that grows when the band is behind its expected count
 * and shrinks when it is ahead.
 */
export class AgeSexQuota {
  private readonly share: number[] = [];
  private readonly counts: number[] = [];
  private total = 0;

  constructor(private readonly prng: Prng) {
    for (const sex of SEXES) AGE_BANDS.forEach((_, i) => { this.share.push(bandShare(i, sex)); this.counts.push(0); });
  }

  private cell(sex: Sex, band: number): number {
    return (sex === 'male' ? 0 : AGE_BANDS.length) + band;
  }

  private weight(cell: number): number {
    const share = this.share[cell] as number;
    // The slack keeps early draws close to the plain table; the 8th power makes the pull firm
    // enough to outweigh the ages that family rules force (children, spouses), so every band
    // stays within a few tenths of a percentage point of its national share.
    const ratio = (share * (this.total + 1) + 3) / ((this.counts[cell] as number) + 3);
    const squared = ratio * ratio;
    const fourth = squared * squared;
    return share * fourth * fourth;
  }

  record(sex: Sex, age: number): void {
    this.counts[this.cell(sex, bandIndexOfAge(age))]! += 1;
    this.total += 1;
  }

  /** An age in [lo, hi] for someone of `sex`; null when the range is empty. */
  age(sex: Sex, lo: number, hi: number): number | null {
    const picked = this.draw([sex], lo, hi);
    return picked ? picked.age : null;
  }

  /** A sex and an age in [lo, hi] (the range must not be empty). */
  sexAndAge(lo: number, hi: number): { sex: Sex; age: number } {
    const picked = this.draw(SEXES, lo, hi);
    if (!picked) throw new RangeError(`empty age range ${lo}–${hi}`);
    return picked;
  }

  private draw(sexes: readonly Sex[], lo: number, hi: number): { sex: Sex; age: number } | null {
    lo = Math.max(0, lo);
    hi = Math.min(MAX_AGE, hi);
    if (lo > hi) return null;
    let total = 0;
    const weights: number[] = [];
    for (const sex of sexes) {
      AGE_BANDS.forEach((band, i) => {
        const overlap = Math.min(hi, band.maxAge) - Math.max(lo, band.minAge) + 1;
        const w = overlap > 0 ? this.weight(this.cell(sex, i)) * overlap / (band.maxAge - band.minAge + 1) : 0;
        weights.push(w);
        total += w;
      });
    }
    let target = this.prng.next() * total;
    let index = weights.length - 1;
    for (let i = 0; i < weights.length; i++) {
      target -= weights[i] as number;
      if (target < 0) { index = i; break; }
    }
    // Rounding can leave a sliver past the end; fall back to the last band with any weight.
    while ((weights[index] as number) === 0 && index > 0) index--;
    const sex = sexes[Math.floor(index / AGE_BANDS.length)] as Sex;
    const band = AGE_BANDS[index % AGE_BANDS.length]!;
    return { sex, age: this.prng.int(Math.max(lo, band.minAge), Math.min(hi, band.maxAge)) };
  }
}
