// How common each kind of household is around a person of a given age and sex, tuned to the 国勢調査 household mix.
import type { Sex } from '../import-row.ts';

export type HouseholdType = 'single' | 'couple' | 'nuclear' | 'singleParent' | 'threeGen' | 'siblings' | 'cohabit';

/** The fewest members of each type, so that no household overshoots the requested head count. */
export const MIN_SIZE: Readonly<Record<HouseholdType, number>> = {
  single: 1, couple: 2, nuclear: 3, singleParent: 2, threeGen: 4, siblings: 2, cohabit: 2,
};

/**
 * How likely each household type is around an anchor of this age and sex. Tuned so that the
 * result resembles the 国勢調査 household mix: about 38% single-person households, couples,
 * couples with children, single parents and some three-generation households.
 */
export function typeWeights(age: number, sex: Sex): Record<HouseholdType, number> {
  if (age < 18) return { single: 0, couple: 0, nuclear: 78, singleParent: 12, threeGen: 10, siblings: 0, cohabit: 0 };
  if (age < 23) return { single: 62, couple: 1, nuclear: 32, singleParent: 4, threeGen: 2, siblings: 1, cohabit: 2 };
  if (age < 30) return { single: 63, couple: 11, nuclear: 18, singleParent: 3, threeGen: 2, siblings: 3, cohabit: 5 };
  if (age < 40) return { single: 42, couple: 11, nuclear: 37, singleParent: 6, threeGen: 3, siblings: 2, cohabit: 3 };
  if (age < 50) return { single: 37, couple: 10, nuclear: 42, singleParent: 7, threeGen: 4, siblings: 2, cohabit: 2 };
  if (age < 60) return { single: 37, couple: 24, nuclear: 30, singleParent: 6, threeGen: 4, siblings: 2, cohabit: 1 };
  if (age < 70) return { single: 35, couple: 44, nuclear: 13, singleParent: 4, threeGen: 4, siblings: 2, cohabit: 1 };
  const elderlyWoman = sex === 'female' ? 12 : 0;
  if (age < 80) return { single: 40 + elderlyWoman, couple: 42, nuclear: 8, singleParent: 5, threeGen: 7, siblings: 2, cohabit: 0 };
  return { single: 50 + elderlyWoman, couple: 22, nuclear: 4, singleParent: 12, threeGen: 14, siblings: 2, cohabit: 0 };
}

/** Probability that an anchor of this age is a child (not a parent) in a family household. */
export function childRoleProbability(type: 'nuclear' | 'singleParent', age: number): number {
  if (age < 18) return 1;
  if (type === 'nuclear') return age < 23 ? 0.97 : age < 30 ? 0.55 : age < 40 ? 0.2 : age < 50 ? 0.08 : age < 60 ? 0.03 : 0;
  return age < 30 ? 0.7 : age < 65 ? 0.35 : 0;
}
