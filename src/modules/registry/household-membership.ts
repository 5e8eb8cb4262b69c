// Households as 異動 change them: the target household (existing or new), the 世帯主 rules, and handing the headship over.
import { randomUUID } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { HouseholdTarget, Relationship, StaffPrincipal } from './contract.ts';
import type { HouseholdsTable, RegistryDb, ResidentRow } from './db/tables.ts';
import { diffRows, writeResidentEvent } from './resident-events.ts';
import { registryError } from './errors.ts';
import { isUuid } from '../../kernel/ids/uuid.ts';

export type HouseholdRow = Selectable<HouseholdsTable>;

export const HEAD: Relationship = '世帯主';
/** Numbers this module gives new households; imported households keep their own keys. */
const HOUSEHOLD_NO = /^S\d{7}$/;

/** Where someone will live, known before anything is written: an existing (locked) household, or the place of a new one. */
export type PreparedTarget =
  | { kind: 'existing'; household: HouseholdRow }
  | { kind: 'new'; address: string; postalCode: string };

/**
 * Locks the target household (it must be in the staff member's municipality) or reads the
 * address of the new one, so the resulting 住民票 can be validated before any write.
 */
export async function prepareTarget(tx: RegistryDb, lgCode: string, target: HouseholdTarget | undefined): Promise<PreparedTarget> {
  if (target && 'householdId' in target) {
    return { kind: 'existing', household: await lockHousehold(tx, lgCode, target.householdId) };
  }
  if (target && 'newHousehold' in target && target.newHousehold) {
    return { kind: 'new', address: target.newHousehold.address ?? '', postalCode: target.newHousehold.postalCode ?? '' };
  }
  throw registryError('REGISTRY_RESIDENT_INVALID', {
    problems: [{ field: 'target', code: 'REQUIRED', reason: '異動先の世帯（householdId）または新しい世帯の住所（newHousehold）を指定してください' }],
  });
}

/** The address a target gives its members. */
export function targetPlace(target: PreparedTarget): { address: string; postalCode: string } {
  return target.kind === 'existing'
    ? { address: target.household.address, postalCode: target.household.postal_code }
    : { address: target.address, postalCode: target.postalCode };
}

/** A household of the municipality, locked until the transaction ends. */
export async function lockHousehold(tx: RegistryDb, lgCode: string, householdId: string): Promise<HouseholdRow> {
  if (!isUuid(householdId)) throw registryError('REGISTRY_HOUSEHOLD_NOT_FOUND', { detail: '世帯IDの形式が不正です' });
  const household = await tx.selectFrom('registry.households').selectAll()
    .where('id', '=', householdId).where('lg_code', '=', lgCode).forUpdate().executeTakeFirst();
  if (!household) throw registryError('REGISTRY_HOUSEHOLD_NOT_FOUND');
  return household;
}

/** The members currently living in a household (状態「記録中」), locked; `exceptId` leaves one person out. */
export async function activeMembers(tx: RegistryDb, householdId: string, exceptId?: string): Promise<ResidentRow[]> {
  let query = tx.selectFrom('registry.residents').selectAll()
    .where('household_id', '=', householdId).where('status', '=', 'active');
  if (exceptId) query = query.where('id', '<>', exceptId);
  return query.orderBy('id').forUpdate().execute();
}

/**
 * Applies the 世帯主 rules of joining and returns the household to write: joining an existing
 * household with a head needs another 続柄 (REGISTRY_HOUSEHOLD_HEAD_DUPLICATE); a household
 * without a head (or a new one) is joined only as its 世帯主 (REGISTRY_HOUSEHOLD_HEAD_MISSING).
 * A new household is created here, numbered 'S' + 7 digits.
 */
export async function settleTarget(tx: RegistryDb, lgCode: string, target: PreparedTarget, relationship: Relationship, now: Date, joiningId?: string): Promise<HouseholdRow> {
  if (target.kind === 'new') {
    if (relationship !== HEAD) {
      throw registryError('REGISTRY_HOUSEHOLD_HEAD_MISSING', { detail: '新しい世帯には続柄「世帯主」として記録します' });
    }
    const household: HouseholdRow = {
      id: randomUUID(), lg_code: lgCode, household_no: await nextHouseholdNo(tx, lgCode),
      address: target.address, postal_code: target.postalCode, created_at: now,
    };
    await tx.insertInto('registry.households').values(household).execute();
    return household;
  }
  const members = await activeMembers(tx, target.household.id, joiningId);
  const hasHead = members.some((m) => m.relationship === HEAD);
  if (hasHead && relationship === HEAD) {
    throw registryError('REGISTRY_HOUSEHOLD_HEAD_DUPLICATE', { detail: `世帯（${target.household.household_no}）には既に世帯主がいます。世帯主との続柄を指定してください` });
  }
  if (!hasHead && relationship !== HEAD) {
    throw registryError('REGISTRY_HOUSEHOLD_HEAD_MISSING', { detail: `世帯（${target.household.household_no}）に世帯主がいないため、続柄「世帯主」として記録します` });
  }
  return target.household;
}

/**
 * The next free 'S' + 7-digit number of the municipality. The municipality row is locked
 * (FOR NO KEY UPDATE, which does not block inserts referencing it) so two transactions never
 * compute the same number.
 */
async function nextHouseholdNo(tx: RegistryDb, lgCode: string): Promise<string> {
  await tx.selectFrom('registry.municipalities').select('lg_code').where('lg_code', '=', lgCode).forNoKeyUpdate().executeTakeFirst();
  // A range scan on the (lg_code, household_no) index instead of a regex over every household.
  const rows = await tx.selectFrom('registry.households').select('household_no')
    .where('lg_code', '=', lgCode).where('household_no', '>=', 'S0000000').where('household_no', '<=', 'S9999999')
    .where(sql<boolean>`household_no ~ '^S[0-9]{7}$'`)
    .orderBy('household_no', 'desc').limit(1).execute();
  const last = rows[0]?.household_no;
  const next = last && HOUSEHOLD_NO.test(last) ? Number(last.slice(1)) + 1 : 1;
  if (next > 9_999_999) throw new RangeError('registry: household numbers S0000001..S9999999 are exhausted');
  return `S${String(next).padStart(7, '0')}`;
}

/**
 * When a 世帯主 leaves a household (転居, 転出, 死亡) and members remain without a head,
 * `newHeadId` must name one of them; that member's 続柄 becomes 世帯主 and the change is written
 * to their history. Otherwise `newHeadId` must not be given.
 *
 * @throws REGISTRY_HOUSEHOLD_HEAD_MISSING when a new head is needed and not named
 */
export async function handOverHeadship(
  tx: RegistryDb,
  input: { staff: StaffPrincipal; leaving: ResidentRow; newHeadId: string | undefined | null; occurredOn: string; now: Date; cause: string },
): Promise<void> {
  const { leaving, newHeadId } = input;
  const remaining = await activeMembers(tx, leaving.household_id, leaving.id);
  const needed = leaving.relationship === HEAD && remaining.length > 0 && !remaining.some((m) => m.relationship === HEAD);
  if (!needed) {
    if (newHeadId != null) {
      throw registryError('REGISTRY_RESIDENT_INVALID', {
        problems: [{ field: 'newHeadId', code: 'NEW_HEAD_NOT_APPLICABLE', reason: '新しい世帯主は、世帯主が異動し他の世帯員が残る場合にのみ指定します' }],
      });
    }
    return;
  }
  if (newHeadId == null) {
    throw registryError('REGISTRY_HOUSEHOLD_HEAD_MISSING', { detail: `世帯主の${input.cause}後も世帯員が残るため、新しい世帯主（newHeadId）を世帯員から指定してください` });
  }
  const heir = remaining.find((m) => m.id === newHeadId);
  if (!heir) {
    throw registryError('REGISTRY_RESIDENT_INVALID', {
      problems: [{ field: 'newHeadId', code: 'NEW_HEAD_NOT_MEMBER', reason: '新しい世帯主は同じ世帯に現在記録されている世帯員から指定してください' }],
    });
  }
  const change = { relationship: HEAD };
  const diff = diffRows(heir, change);
  await tx.updateTable('registry.residents')
    .set({ ...change, version: heir.version + 1, updated_at: input.now })
    .where('id', '=', heir.id).execute();
  // NOTE: the contract has no event kind for 世帯主変更 yet; it is recorded as a correction with a note.
  await writeResidentEvent(tx, {
    staff: input.staff, resident: heir, kind: 'correction', occurredOn: input.occurredOn, recordedAt: input.now,
    before: diff.before, after: diff.after, note: `世帯主変更（前世帯主の${input.cause}による）`,
  });
}
