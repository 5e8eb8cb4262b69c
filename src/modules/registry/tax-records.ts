// 課税: a resident's 所得 and 住民税 per fiscal year (年度), recorded by staff and read with an audit record.
import { randomUUID } from 'node:crypto';
import { jstDate } from '../../kernel/clock.ts';
import type { ReadContext, StaffPrincipal, TaxRecord } from './contract.ts';
import type { RegistryContext } from './registry-context.ts';
import { checkPurpose, loadResident, recordRead } from './resident-access.ts';
import { collectProblems, type Report } from './change-input-checks.ts';
import { registryError } from './errors.ts';

/** Records before this year are not kept by the platform. */
const FIRST_FISCAL_YEAR = 1990;

/**
 * Records (or replaces) the 所得 and 課税額 of one fiscal year. Residents who have since moved out
 * or died are accepted: 住民税 is levied by where one lived on 1 January.
 *
 * @throws REGISTRY_TAX_RECORD_INVALID (with problems), REGISTRY_RESIDENT_NOT_FOUND
 * @example
 * await recordTax(ctx, staff, residentId, { fiscalYear: 2026, incomeYen: 4_200_000, taxYen: 215_000 });
 */
export async function recordTax(ctx: RegistryContext, staff: StaffPrincipal, residentId: string, input: { fiscalYear: number; incomeYen: number; taxYen: number }): Promise<TaxRecord> {
  const lastYear = Number(jstDate(ctx.clock.now()).slice(0, 4)) + 1;
  const { problems, report } = collectProblems();
  if (!Number.isInteger(input.fiscalYear) || input.fiscalYear < FIRST_FISCAL_YEAR || input.fiscalYear > lastYear) {
    report('fiscalYear', 'FISCAL_YEAR_OUT_OF_RANGE', `年度は${FIRST_FISCAL_YEAR}〜${lastYear}の整数です`);
  }
  checkYen(report, 'incomeYen', '所得額', input.incomeYen);
  checkYen(report, 'taxYen', '課税額', input.taxYen);
  if (problems.length > 0) throw registryError('REGISTRY_TAX_RECORD_INVALID', { detail: `${problems.length}件の誤りがあります（problems を参照）`, problems });

  return ctx.db.transaction().execute(async (tx) => {
    const resident = await loadResident(tx, staff, residentId, { forUpdate: true });
    // One row per (resident, fiscal year): a second recording of a year replaces the first.
    const row = await tx.insertInto('registry.tax_records').values({
      id: randomUUID(), lg_code: staff.lgCode, resident_id: resident.id,
      fiscal_year: input.fiscalYear, income_yen: input.incomeYen, tax_yen: input.taxYen,
    }).onConflict((oc) => oc.columns(['resident_id', 'fiscal_year']).doUpdateSet({ income_yen: input.incomeYen, tax_yen: input.taxYen }))
      .returning(['resident_id', 'fiscal_year', 'income_yen', 'tax_yen']).executeTakeFirstOrThrow();
    await ctx.audit.recordIn(tx, {
      actor: { kind: 'staff', id: staff.apiKeyId, name: staff.staffName }, lgCode: staff.lgCode, action: 'registry.tax.record',
      subject: { kind: 'resident', ref: resident.resident_code }, detail: { fiscalYear: input.fiscalYear },
    });
    return toTaxRecord(row);
  });
}

/** A resident's tax records, oldest fiscal year first (audited read). */
export async function listTaxRecords(ctx: RegistryContext, read: ReadContext, residentId: string): Promise<TaxRecord[]> {
  checkPurpose(read.purpose);
  const resident = await loadResident(ctx.db, read.staff, residentId);
  const rows = await ctx.db.selectFrom('registry.tax_records').select(['resident_id', 'fiscal_year', 'income_yen', 'tax_yen'])
    .where('resident_id', '=', resident.id).where('lg_code', '=', read.staff.lgCode).orderBy('fiscal_year').execute();
  await recordRead(ctx, read, 'registry.tax.list', [resident.resident_code]);
  return rows.map(toTaxRecord);
}

/** Yen amounts are whole, non-negative and exact in a JavaScript number. */
function checkYen(report: Report, field: string, label: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) report(field, 'YEN_INVALID', `${label}は0以上の整数（円）です`);
}

function toTaxRecord(row: { resident_id: string; fiscal_year: number; income_yen: number; tax_yen: number }): TaxRecord {
  // bigint columns arrive as numbers (kernel/db/database.ts parsers); Number() keeps that true if a driver changes.
  return { residentId: row.resident_id, fiscalYear: Number(row.fiscal_year), incomeYen: Number(row.income_yen), taxYen: Number(row.tax_yen) };
}
