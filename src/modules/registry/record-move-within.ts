// 転居: a resident moves to another address in the same municipality, joining another household or starting a new one.
import { jstDate } from '../../kernel/clock.ts';
import type { HouseholdTarget, Relationship, ResidentRecord, StaffPrincipal } from './contract.ts';
import type { RegistryContext } from './registry-context.ts';
import { loadResident, reloadRecord, requireActive } from './resident-access.ts';
import { diffRows, touchesBasicAttributes, writeResidentEvent } from './resident-events.ts';
import { checkDate, checkResultingRow, collectProblems, residentAsImportRow, throwIfProblems } from './change-input-checks.ts';
import { handOverHeadship, prepareTarget, settleTarget, targetPlace } from './household-membership.ts';
import { registryError } from './errors.ts';

/**
 * Records a 転居届 (or a 世帯変更 into another household at the same address). A 世帯主 leaving
 * members behind names the new head in `newHeadId`.
 *
 * @throws REGISTRY_RESIDENT_NOT_FOUND, REGISTRY_RESIDENT_NOT_ACTIVE, REGISTRY_MOVE_OUT_PENDING, REGISTRY_HOUSEHOLD_*,
 *   REGISTRY_RESIDENT_INVALID / REGISTRY_DATE_INVALID
 * @example
 * await recordMoveWithin(ctx, staff, residentId, { target: { newHousehold: { address, postalCode } }, relationship: '世帯主', occurredOn });
 */
export async function recordMoveWithin(
  ctx: RegistryContext,
  staff: StaffPrincipal,
  residentId: string,
  input: { target: HouseholdTarget; relationship: Relationship; occurredOn: string; newHeadId?: string },
): Promise<ResidentRecord> {
  const now = ctx.clock.now();
  const today = jstDate(now);
  return ctx.db.transaction().execute(async (tx) => {
    const resident = await loadResident(tx, staff, residentId, { forUpdate: true });
    requireActive(resident);
    const target = await prepareTarget(tx, staff.lgCode, input.target);
    if (target.kind === 'existing' && target.household.id === resident.household_id) {
      throw registryError('REGISTRY_RESIDENT_INVALID', { problems: [{ field: 'target.householdId', code: 'SAME_HOUSEHOLD', reason: '現在の世帯と同じ世帯には転居できません' }] });
    }
    const place = targetPlace(target);
    const { problems, report } = collectProblems();
    checkDate(report, 'occurredOn', '転居日', input.occurredOn, {
      latest: today,
      earliest: { date: resident.registered_on, reason: '転居日が住民となった年月日より前です' },
    });
    checkResultingRow(report, { ...residentAsImportRow(resident), relationship: input.relationship, ...place }, today, (field) => {
      if (field === 'relationship') return 'relationship';
      if (field === 'address' || field === 'postalCode') return `target.newHousehold.${field}`;
      return field;
    });
    throwIfProblems(problems);

    await handOverHeadship(tx, { staff, leaving: resident, newHeadId: input.newHeadId, occurredOn: input.occurredOn, now, cause: '転居' });
    const household = await settleTarget(tx, staff.lgCode, target, input.relationship, now, resident.id);
    const change = { household_id: household.id, relationship: input.relationship, address: household.address, postal_code: household.postal_code };
    const diff = diffRows(resident, change);
    await tx.updateTable('registry.residents').set({ ...change, version: resident.version + 1, updated_at: now })
      .where('id', '=', resident.id).execute();
    await writeResidentEvent(tx, {
      staff, resident, kind: 'move_within', occurredOn: input.occurredOn, recordedAt: now,
      before: { ...diff.before, household_no: resident.household_no }, after: { ...diff.after, household_no: household.household_no },
      ...(touchesBasicAttributes(diff.after) ? { outboxTopic: 'resident.basic-attributes-changed' as const } : {}),
    });
    return reloadRecord(tx, staff, resident.id);
  });
}
