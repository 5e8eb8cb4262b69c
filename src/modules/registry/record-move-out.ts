// 転出届: the resident announces a move to another municipality; the record stays 転出予定 until the 転入 there completes it.
import { jstDate } from '../../kernel/clock.ts';
import type { ResidentRecord, StaffPrincipal } from './contract.ts';
import type { RegistryContext } from './registry-context.ts';
import { loadResident, reloadRecord, requireActive } from './resident-access.ts';
import { diffRows, writeResidentEvent } from './resident-events.ts';
import { addDays, checkDate, checkText, collectProblems, throwIfProblems } from './change-input-checks.ts';
import { handOverHeadship } from './household-membership.ts';

/** A 転出届 is made in advance (住民基本台帳法 第24条); municipalities accept it from 14 days before the move. */
const MAX_DAYS_AHEAD = 14;

/**
 * Records a 転出届: status 転出予定, 転出予定日 and 転出先. A 世帯主 leaving members behind names
 * the new head in `newHeadId`.
 *
 * @throws REGISTRY_RESIDENT_NOT_FOUND, REGISTRY_MOVE_OUT_PENDING, REGISTRY_RESIDENT_NOT_ACTIVE, REGISTRY_HOUSEHOLD_HEAD_MISSING,
 *   REGISTRY_RESIDENT_INVALID / REGISTRY_DATE_INVALID
 * @example
 * await recordMoveOut(ctx, staff, residentId, { destination: '東京都千代田区千代田1-1', plannedOn: '2026-12-01' });
 */
export async function recordMoveOut(
  ctx: RegistryContext,
  staff: StaffPrincipal,
  residentId: string,
  input: { destination: string; plannedOn: string; newHeadId?: string },
): Promise<ResidentRecord> {
  const now = ctx.clock.now();
  const today = jstDate(now);
  return ctx.db.transaction().execute(async (tx) => {
    const resident = await loadResident(tx, staff, residentId, { forUpdate: true });
    requireActive(resident);
    const { problems, report } = collectProblems();
    checkDate(report, 'plannedOn', '転出予定日', input.plannedOn, {
      latest: addDays(today, MAX_DAYS_AHEAD),
      latestReason: `転出予定日は${MAX_DAYS_AHEAD}日後までの日付を指定してください`,
      earliest: { date: resident.registered_on, reason: '転出予定日が住民となった年月日より前です' },
    });
    checkText(report, 'destination', '転出先', input.destination, 200);
    throwIfProblems(problems);

    await handOverHeadship(tx, { staff, leaving: resident, newHeadId: input.newHeadId, occurredOn: input.plannedOn, now, cause: '転出' });
    const change = { status: 'moving_out' as const, moved_out_on: input.plannedOn, moved_out_to: input.destination.trim() };
    const diff = diffRows(resident, change);
    await tx.updateTable('registry.residents').set({ ...change, version: resident.version + 1, updated_at: now })
      .where('id', '=', resident.id).execute();
    // The address is unchanged until the 転入 elsewhere, which is when JPKI hears of the move.
    await writeResidentEvent(tx, {
      staff, resident, kind: 'move_out', occurredOn: input.plannedOn, recordedAt: now, before: diff.before, after: diff.after,
    });
    return reloadRecord(tx, staff, resident.id);
  });
}
