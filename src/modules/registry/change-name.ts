// 氏名変更: a resident's name and its reading change (婚姻, 離婚, 養子縁組, 氏の変更許可…), which JPKI must hear of.
import { jstDate } from '../../kernel/clock.ts';
import type { ResidentRecord, StaffPrincipal } from './contract.ts';
import type { RegistryContext } from './registry-context.ts';
import { loadResident, reloadRecord, requireActive } from './resident-access.ts';
import { diffRows, touchesBasicAttributes, writeResidentEvent } from './resident-events.ts';
import { checkDate, checkResultingRow, checkText, collectProblems, residentAsImportRow, throwIfProblems } from './change-input-checks.ts';
import { registryError } from './errors.ts';

export interface NameChangeInput {
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  occurredOn: string;
  /** 事由, e.g. 「婚姻」. */
  reason: string;
}

/**
 * Records a change of 氏名 and フリガナ. A change of the name itself (not only its reading) is one
 * of the 4 basic attributes and goes to the outbox.
 *
 * @throws REGISTRY_RESIDENT_NOT_FOUND, REGISTRY_RESIDENT_NOT_ACTIVE, REGISTRY_MOVE_OUT_PENDING,
 *   REGISTRY_RESIDENT_INVALID (also when nothing changes) / REGISTRY_DATE_INVALID
 * @example
 * await changeName(ctx, staff, id, { familyName: '佐藤', givenName: '花子', familyNameKana: 'サトウ', givenNameKana: 'ハナコ', occurredOn: '2026-11-01', reason: '婚姻' });
 */
export async function changeName(ctx: RegistryContext, staff: StaffPrincipal, residentId: string, input: NameChangeInput): Promise<ResidentRecord> {
  const now = ctx.clock.now();
  const today = jstDate(now);
  return ctx.db.transaction().execute(async (tx) => {
    const resident = await loadResident(tx, staff, residentId, { forUpdate: true });
    requireActive(resident);
    const change = {
      family_name: input.familyName, given_name: input.givenName,
      family_name_kana: input.familyNameKana, given_name_kana: input.givenNameKana,
    };
    const { problems, report } = collectProblems();
    checkDate(report, 'occurredOn', '氏名変更の日', input.occurredOn, {
      latest: today,
      earliest: { date: resident.birth_date, reason: '氏名変更の日が生年月日より前です' },
    });
    checkText(report, 'reason', '変更の事由', input.reason, 200);
    const names = { familyName: input.familyName, givenName: input.givenName, familyNameKana: input.familyNameKana, givenNameKana: input.givenNameKana };
    checkResultingRow(report, { ...residentAsImportRow(resident), ...names }, today, (field) => (field in names ? field : null));
    const diff = diffRows(resident, change);
    if (problems.length === 0 && Object.keys(diff.after).length === 0) {
      throw registryError('REGISTRY_RESIDENT_INVALID', { problems: [{ field: 'familyName', code: 'UNCHANGED', reason: '氏名・フリガナが現在の記載と同じです' }] });
    }
    throwIfProblems(problems);

    await tx.updateTable('registry.residents').set({ ...change, version: resident.version + 1, updated_at: now })
      .where('id', '=', resident.id).execute();
    await writeResidentEvent(tx, {
      staff, resident, kind: 'name_change', occurredOn: input.occurredOn, recordedAt: now,
      before: diff.before, after: diff.after, note: input.reason.trim(),
      ...(touchesBasicAttributes(diff.after) ? { outboxTopic: 'resident.basic-attributes-changed' as const } : {}),
    });
    return reloadRecord(tx, staff, resident.id);
  });
}
