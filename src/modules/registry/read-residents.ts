// Staff reads of residents: one record, a search, a household, a history. Every read is audited with its purpose.
import { sql } from 'kysely';
import { isValidIndividualNumber } from '../../kernel/ids/check-digits.ts';
import type { Household, ReadContext, ResidentEvent, ResidentEventKind, ResidentQuery, ResidentRecord, ResidentSummary } from './contract.ts';
import type { RegistryContext } from './registry-context.ts';
import { toResidentRecord, toResidentSummary } from './db/resident-mapping.ts';
import { checkPurpose, loadResident, recordRead } from './resident-access.ts';
import { registryError } from './errors.ts';
import { isUuid } from '../../kernel/ids/uuid.ts';
import { isIsoDate } from '../../kernel/clock.ts';

/** One resident's full record. */
export async function getResident(ctx: RegistryContext, read: ReadContext, residentId: string): Promise<ResidentRecord> {
  checkPurpose(read.purpose);
  const row = await loadResident(ctx.db, read.staff, residentId);
  await recordRead(ctx, read, 'registry.resident.read', [row.resident_code]);
  return toResidentRecord(row);
}

/** Residents matching the query, within the staff member's municipality (at most 50 a page). */
export async function findResidents(ctx: RegistryContext, read: ReadContext, query: ResidentQuery): Promise<{ total: number; items: ResidentSummary[] }> {
  checkPurpose(read.purpose);
  const criteria = ['familyNameKana', 'givenNameKana', 'familyName', 'birthDate', 'householdNo', 'residentCode', 'individualNumber'] as const;
  if (!criteria.some((c) => query[c])) {
    throw registryError('REGISTRY_RESIDENT_INVALID', { message: '検索条件を1つ以上指定してください' });
  }
  if (query.individualNumber !== undefined && !isValidIndividualNumber(query.individualNumber)) {
    throw registryError('REGISTRY_INDIVIDUAL_NUMBER_INVALID');
  }
  if (query.birthDate && !isIsoDate(query.birthDate)) {
    throw registryError('REGISTRY_RESIDENT_INVALID', { message: '生年月日は存在する日付を YYYY-MM-DD で指定してください' });
  }
  const limit = Math.min(Math.max(query.limit ?? 20, 1), 50);
  const offset = Math.max(query.offset ?? 0, 0);
  let base = ctx.db.selectFrom('registry.residents as r')
    .innerJoin('registry.households as h', 'h.id', 'r.household_id')
    .where('r.lg_code', '=', read.staff.lgCode);
  // COLLATE "C" matches residents_lg_kana_idx, so the prefix search uses the index.
  if (query.familyNameKana) base = base.where(sql`r.family_name_kana COLLATE "C"`, 'like', `${escapeLike(query.familyNameKana)}%`);
  if (query.givenNameKana) base = base.where(sql`r.given_name_kana COLLATE "C"`, 'like', `${escapeLike(query.givenNameKana)}%`);
  if (query.familyName) base = base.where('r.family_name', '=', query.familyName);
  if (query.birthDate) base = base.where('r.birth_date', '=', query.birthDate);
  if (query.householdNo) base = base.where('h.household_no', '=', query.householdNo);
  if (query.residentCode) base = base.where('r.resident_code', '=', query.residentCode);
  if (query.individualNumber) base = base.where('r.individual_number', '=', query.individualNumber);
  base = base.where('r.status', 'in', query.status ? [query.status] : ['active', 'moving_out']);
  const [{ total }] = await base.select(sql<number>`count(*)::int`.as('total')).execute() as [{ total: number }];
  const rows = await base
    .select(['r.id', 'r.resident_code', 'r.family_name', 'r.given_name', 'r.family_name_kana', 'r.given_name_kana', 'r.birth_date', 'r.sex', 'r.address', 'r.status', 'h.household_no'])
    .orderBy(sql`r.family_name_kana COLLATE "C"`).orderBy(sql`r.given_name_kana COLLATE "C"`).orderBy('r.id').limit(limit).offset(offset).execute();
  await recordRead(ctx, read, 'registry.resident.search', rows.map((r) => r.resident_code), { matched: Number(total) });
  return { total: Number(total), items: rows.map(toResidentSummary) };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Household order: the current head (世帯主) first, then the members by date of birth (residents aliased `r`). */
const HEAD_FIRST = sql`r.relationship = '世帯主' AND r.status = 'active'`;

/** A household with its current members, head first. */
export async function getHousehold(ctx: RegistryContext, read: ReadContext, householdId: string): Promise<Household> {
  checkPurpose(read.purpose);
  if (!isUuid(householdId)) throw registryError('REGISTRY_HOUSEHOLD_NOT_FOUND');
  const household = await ctx.db.selectFrom('registry.households').selectAll()
    .where('id', '=', householdId).where('lg_code', '=', read.staff.lgCode).executeTakeFirst();
  if (!household) throw registryError('REGISTRY_HOUSEHOLD_NOT_FOUND');
  const members = await ctx.db.selectFrom('registry.residents as r')
    .select(['r.id', 'r.resident_code', 'r.family_name', 'r.given_name', 'r.family_name_kana', 'r.given_name_kana', 'r.birth_date', 'r.sex', 'r.address', 'r.status', 'r.relationship'])
    .where('r.household_id', '=', householdId).where('r.status', 'in', ['active', 'moving_out'])
    .orderBy(HEAD_FIRST, 'desc').orderBy('r.birth_date').execute();
  await recordRead(ctx, read, 'registry.household.read', members.map((m) => m.resident_code), { householdNo: household.household_no });
  return {
    id: household.id,
    lgCode: household.lg_code,
    householdNo: household.household_no,
    address: household.address,
    postalCode: household.postal_code,
    headId: members.find((m) => m.relationship === '世帯主' && m.status === 'active')?.id ?? null,
    members: members.map((m) => toResidentSummary({ ...m, household_no: household.household_no })),
  };
}

/**
 * A current resident found by 住民票コード, with every current member of the household as a full
 * record (head first) — what a certificate of residence needs, in two queries and one audited read
 * (each member finds it in their own access record).
 */
export async function getResidentWithHousehold(ctx: RegistryContext, read: ReadContext, residentCode: string): Promise<{ resident: ResidentRecord; household: ResidentRecord[] }> {
  checkPurpose(read.purpose);
  const current = ['active', 'moving_out'] as const;
  const withHouseholdNo = () => ctx.db.selectFrom('registry.residents as r').innerJoin('registry.households as h', 'h.id', 'r.household_id')
    .selectAll('r').select('h.household_no').where('r.lg_code', '=', read.staff.lgCode).where('r.status', 'in', current);
  const row = await withHouseholdNo().where('r.resident_code', '=', residentCode).executeTakeFirst();
  if (!row) throw registryError('REGISTRY_RESIDENT_NOT_FOUND');
  const members = await withHouseholdNo().where('r.household_id', '=', row.household_id)
    .orderBy(HEAD_FIRST, 'desc').orderBy('r.birth_date').execute();
  await recordRead(ctx, read, 'registry.household.read', members.map((m) => m.resident_code), { householdNo: row.household_no });
  return { resident: toResidentRecord(row), household: members.map(toResidentRecord) };
}

/** The resident's history (異動履歴), oldest first. */
export async function getResidentHistory(ctx: RegistryContext, read: ReadContext, residentId: string): Promise<ResidentEvent[]> {
  checkPurpose(read.purpose);
  const resident = await loadResident(ctx.db, read.staff, residentId);
  const rows = await ctx.db.selectFrom('registry.resident_events').selectAll().where('resident_id', '=', resident.id).orderBy('id').execute();
  await recordRead(ctx, read, 'registry.resident.history.read', [resident.resident_code]);
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind as ResidentEventKind,
    occurredOn: r.occurred_on,
    recordedAt: new Date(r.recorded_at),
    staff: r.staff,
    before: r.before,
    after: r.after,
    note: r.note,
  }));
}
