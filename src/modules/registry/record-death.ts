// 死亡: closes a resident's record (死亡による消除) and tells other modules, which revoke the person's certificates.
import { jstDate } from '../../kernel/clock.ts';
import type { ResidentRecord, StaffPrincipal } from './contract.ts';
import type { RegistryContext } from './registry-context.ts';
import { loadResident, reloadRecord } from './resident-access.ts';
import { diffRows, writeResidentEvent } from './resident-events.ts';
import { checkDate, collectProblems, throwIfProblems } from './change-input-checks.ts';
import { handOverHeadship } from './household-membership.ts';
import { registryError } from './errors.ts';

/**
 * Records a death (死亡届). Someone who filed a 転出届 and died before a 転入 is still this
 * municipality's to record, so 転出予定 is accepted as well as 記録中. A 世帯主 leaving members
 * behind needs `newHeadId`.
 *
 * @throws REGISTRY_RESIDENT_NOT_FOUND, REGISTRY_RESIDENT_NOT_ACTIVE, REGISTRY_HOUSEHOLD_HEAD_MISSING, REGISTRY_DATE_INVALID
 * @example
 * await recordDeath(ctx, staff, residentId, { diedOn: '2026-11-20', newHeadId: spouseId });
 */
export async function recordDeath(ctx: RegistryContext, staff: StaffPrincipal, residentId: string, input: { diedOn: string; newHeadId?: string }): Promise<ResidentRecord> {
  const now = ctx.clock.now();
  const today = jstDate(now);
  return ctx.db.transaction().execute(async (tx) => {
    const resident = await loadResident(tx, staff, residentId, { forUpdate: true });
    if (resident.status !== 'active' && resident.status !== 'moving_out') {
      throw registryError('REGISTRY_RESIDENT_NOT_ACTIVE', { detail: `状態: ${resident.status}` });
    }
    const { problems, report } = collectProblems();
    checkDate(report, 'diedOn', '死亡日', input.diedOn, {
      latest: today,
      earliest: { date: resident.birth_date, reason: '死亡日が生年月日より前です' },
    });
    throwIfProblems(problems);

    await handOverHeadship(tx, { staff, leaving: resident, newHeadId: input.newHeadId, occurredOn: input.diedOn, now, cause: '死亡' });
    const change = { status: 'deceased' as const, died_on: input.diedOn };
    const diff = diffRows(resident, change);
    await tx.updateTable('registry.residents').set({ ...change, version: resident.version + 1, updated_at: now })
      .where('id', '=', resident.id).execute();
    await writeResidentEvent(tx, {
      staff, resident, kind: 'death', occurredOn: input.diedOn, recordedAt: now,
      before: diff.before, after: diff.after, outboxTopic: 'resident.died',
    });
    return reloadRecord(tx, staff, resident.id);
  });
}
