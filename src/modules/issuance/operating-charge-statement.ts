// The yearly statement of J-LIS's operating charge (運営負担金): each participating municipality's population, class and charge for a fiscal year.
import { sql, type Kysely } from 'kysely';
import type { RegistryService } from '../registry/index.ts';
import { issuanceError } from './errors.ts';
import { operatingCharge } from './fees/operating-charge.ts';

/** One municipality's line of a fiscal year's statement. */
export interface OperatingChargeLine {
  /** 年度: April of this year to March of the next (JST). */
  fiscalYear: number;
  lgCode: string;
  name: string;
  population: number;
  classJa: string;
  yenPerYear: number;
  /** The day it joined コンビニ交付 (`YYYY-MM-DD`). */
  joinedOn: string;
}

/** The first fiscal year of the table the platform carries (`fees/operating-charge.ts`). */
const FIRST_FISCAL_YEAR = 2017;

/**
 * The statement of a fiscal year: every municipality that takes part by the year's end (31 March,
 * JST), by LG code, with its population from the registry's municipality record.
 *
 * NOTE: the population is the registry's current declared population, not a count as of a
 * reference date, and a municipality that joined during the year is charged the whole year; years
 * after FY2017 use the FY2017 table (the only one in the seeds).
 *
 * @example await operatingChargeStatement(db, registry, 2026) // [{ lgCode: '132047', population: 190000, classJa: '市（区）15万以上', yenPerYear: 4700000, … }]
 */
export async function operatingChargeStatement(db: Kysely<any>, registry: Pick<RegistryService, 'getMunicipality'>, fiscalYear: number): Promise<OperatingChargeLine[]> {
  if (typeof fiscalYear !== 'number' || !Number.isInteger(fiscalYear) || fiscalYear < FIRST_FISCAL_YEAR || fiscalYear > 2100) {
    throw issuanceError('ISSUANCE_REQUEST_INVALID', { detail: `年度は ${FIRST_FISCAL_YEAR}〜2100 の西暦で指定してください（運営負担金の表は${FIRST_FISCAL_YEAR}年度のものです）` });
  }
  const yearEnd = `${fiscalYear + 1}-03-31`;
  const participants = await db.selectFrom('issuance.participants')
    .select(['lg_code', sql<string>`to_char(joined_on, 'YYYY-MM-DD')`.as('joined_on')])
    .where('joined_on', '<=', sql<string>`${yearEnd}::date`).orderBy('lg_code').execute();
  const lines: OperatingChargeLine[] = [];
  for (const p of participants) {
    const municipality = await registry.getMunicipality(p.lg_code);
    const charge = operatingCharge({ lgCode: municipality.lgCode, name: municipality.name, population: municipality.population });
    lines.push({ fiscalYear, lgCode: municipality.lgCode, name: municipality.name, population: municipality.population, classJa: charge.classJa, yenPerYear: charge.yenPerYear, joinedOn: p.joined_on });
  }
  return lines;
}

/** The statement as CSV (UTF-8 with a header, like the settlement statement): one line per municipality. */
export function operatingChargeCsv(lines: readonly OperatingChargeLine[]): string {
  const header = '年度,地方公共団体コード,団体名,人口,区分,運営負担金（円/年）,参加日';
  const rows = lines.map((l) => [l.fiscalYear, l.lgCode, l.name, l.population, l.classJa, l.yenPerYear, l.joinedOn].join(','));
  return [header, ...rows].join('\n') + '\n';
}
