// Generates a synthetic municipality's population, household by household, deterministically from a seed.
//
// This file is the entry point and keeps the public API; the work is split by concept:
// household-composer.ts decides who lives together (keeping ages on the national table through
// age-sex-quota.ts), household-records.ts turns that into 住民票 rows with names, dates, 本籍 and
// foreign-resident fields, and seals.ts, resident-tax.ts and family-register.ts add the rest.
import { createAddressBook } from './address-data.ts';
import { AgeSexQuota } from './age-sex-quota.ts';
import { parseAsOf } from './calendar.ts';
import { HouseholdComposer } from './household-composer.ts';
import { materialize, type SyntheticHousehold } from './household-records.ts';
import { Prng } from './prng.ts';
import { previousFiscalYear } from './resident-tax.ts';
import type { RunState } from './run-state.ts';

export type { SyntheticFamilyRegister } from './family-register.ts';
export type { SyntheticHousehold } from './household-records.ts';
export { BASIC_DEDUCTION_YEN, residentTaxYen, type SyntheticTax } from './resident-tax.ts';
export { renderSealSvg, type SyntheticSeal } from './seals.ts';

/** What to generate. */
export interface GenerateOptions {
  /** 全国地方公共団体コード of the municipality (seeds postal codes and the random stream). */
  lgCode: string;
  /** e.g. 三鷹市, or 横浜市青葉区 for a ward. */
  municipalityName: string;
  /** e.g. 東京都. */
  prefecture: string;
  /** Exact number of people to produce. */
  residents: number;
  /** Any string; the same options always give the same people. */
  seed: string;
  /** The reference date `YYYY-MM-DD`: ages are counted on it and no date lies after it. */
  asOf: string;
}

/** Share of foreign residents (外国人住民) in the population, close to the national figure. */
export const FOREIGN_RESIDENT_SHARE = 0.023;

/**
 * Yields synthetic households for one municipality until exactly `options.residents` people
 * have been produced. The same options always yield the same households; another seed yields
 * other people. Everyone is invented: names are drawn from common-name lists, addresses from
 * generic 町名, and no real person's data is used.
 *
 * @example
 * for (const household of generateHouseholds({ lgCode: '132047', municipalityName: '三鷹市',
 *   prefecture: '東京都', residents: 1000, seed: 'demo', asOf: '2026-04-01' })) { … }
 */
export function* generateHouseholds(options: GenerateOptions): Generator<SyntheticHousehold> {
  if (!Number.isSafeInteger(options.residents) || options.residents < 0) {
    throw new RangeError(`residents must be a non-negative integer, got ${options.residents}`);
  }
  const ref = parseAsOf(options.asOf);
  // Seeded by seed and municipality only, so a larger run starts with the same households.
  const prng = new Prng(`${options.seed}\u0000${options.lgCode}`);
  const quota = new AgeSexQuota(prng);
  const composer = new HouseholdComposer(prng, quota);
  const state: RunState = {
    prng, ref, book: createAddressBook(options), fiscalYear: previousFiscalYear(ref),
    sealCount: 0, cardNumbers: new Set(), registers: new Set(),
  };
  let produced = 0;
  let foreigners = 0;
  let households = 0;
  while (produced < options.residents) {
    const room = options.residents - produced;
    const behindOnForeigners = foreigners < FOREIGN_RESIDENT_SHARE * (produced + 1);
    const shape = behindOnForeigners && prng.chance(0.25) ? composer.foreign(room) : composer.japanese(room);
    for (const member of shape.members) {
      quota.record(member.sex, member.age);
      if (member.foreign) foreigners++;
    }
    households++;
    const household = materialize(state, shape, `H${String(households).padStart(7, '0')}`);
    produced += household.members.length;
    yield household;
  }
}
