// Japan's population by 5-year age band and sex, the target the synthetic population follows.
//
// Source: 001_card_issuance_by_sex_age_2017_08_31.csv (the "detail" rows, columns
// population_male_2017_01_01 / population_female_2017_01_01), i.e. the 住民基本台帳人口 as of
// 2017-01-01 published with the My Number card issuance figures of 2017-08-31. Copied here so the
// project runs without that shared data directory.
import type { Sex } from '../import-row.ts';
import type { Prng } from './prng.ts';

/** One age band with its population. `maxAge` of the open 100歳以上 band is capped at 105. */
export interface AgeBand {
  readonly label: string;
  readonly minAge: number;
  readonly maxAge: number;
  readonly male: number;
  readonly female: number;
}

/** The oldest age the generator produces (the open-ended 100歳以上 band is spread over 100–105). */
export const MAX_AGE = 105;

export const AGE_BANDS: readonly AgeBand[] = [
  { label: '0～4歳', minAge: 0, maxAge: 4, male: 2621231, female: 2490499 },
  { label: '5～9歳', minAge: 5, maxAge: 9, male: 2785944, female: 2646286 },
  { label: '10～14歳', minAge: 10, maxAge: 14, male: 2868662, female: 2729563 },
  { label: '15～19歳', minAge: 15, maxAge: 19, male: 3090372, female: 2942630 },
  { label: '20～24歳', minAge: 20, maxAge: 24, male: 3243592, female: 3079965 },
  { label: '25～29歳', minAge: 25, maxAge: 29, male: 3399524, female: 3223084 },
  { label: '30～34歳', minAge: 30, maxAge: 34, male: 3808238, female: 3656088 },
  { label: '35～39歳', minAge: 35, maxAge: 39, male: 4199117, female: 4044663 },
  { label: '40～44歳', minAge: 40, maxAge: 44, male: 4976555, female: 4812300 },
  { label: '45～49歳', minAge: 45, maxAge: 49, male: 4807492, female: 4693977 },
  { label: '50～54歳', minAge: 50, maxAge: 54, male: 3989860, female: 3937541 },
  { label: '55～59歳', minAge: 55, maxAge: 59, male: 3763163, female: 3774218 },
  { label: '60～64歳', minAge: 60, maxAge: 64, male: 3976493, female: 4072974 },
  { label: '65～69歳', minAge: 65, maxAge: 69, male: 4929868, female: 5242975 },
  { label: '70～74歳', minAge: 70, maxAge: 74, male: 3417616, female: 3914181 },
  { label: '75～79歳', minAge: 75, maxAge: 79, male: 2903418, female: 3621089 },
  { label: '80～84歳', minAge: 80, maxAge: 84, male: 2064886, female: 3043941 },
  { label: '85～89歳', minAge: 85, maxAge: 89, male: 1095016, female: 2114143 },
  { label: '90～94歳', minAge: 90, maxAge: 94, male: 376916, female: 1087992 },
  { label: '95～99歳', minAge: 95, maxAge: 99, male: 68342, female: 327978 },
  { label: '100歳以上', minAge: 100, maxAge: MAX_AGE, male: 7944, female: 56678 },
];

/** Total population of the source table (both sexes, all bands). */
export const TOTAL_POPULATION = AGE_BANDS.reduce((sum, band) => sum + band.male + band.female, 0);

/** Index into {@link AGE_BANDS} of the band holding `age` (ages above 105 fall in the last band). */
export function bandIndexOfAge(age: number): number {
  return age >= 100 ? AGE_BANDS.length - 1 : Math.floor(age / 5);
}

/** The share (0–1) of the whole population that is of `sex` in band `index`. */
export function bandShare(index: number, sex: Sex): number {
  const band = AGE_BANDS[index];
  if (!band) throw new RangeError(`no age band ${index}`);
  return (sex === 'male' ? band.male : band.female) / TOTAL_POPULATION;
}

/**
 * Draws one person's sex and age (in whole years) from the table: the band by its population,
 * the age uniformly within the band.
 */
export function sampleAgeSex(prng: Prng): { sex: Sex; age: number } {
  let target = prng.next() * TOTAL_POPULATION;
  for (const band of AGE_BANDS) {
    for (const sex of ['male', 'female'] as const) {
      target -= band[sex];
      if (target < 0) return { sex, age: prng.int(band.minAge, band.maxAge) };
    }
  }
  return { sex: 'female', age: MAX_AGE };
}
