// 職権修正: staff correct a wrong entry of a 住民票 (a whitelist of fields), guarded by the record's version.
import { jstDate } from '../../kernel/clock.ts';
import type { ResidentRecord, StaffPrincipal } from './contract.ts';
import type { RegistryContext } from './registry-context.ts';
import type { ResidentRow } from './db/tables.ts';
import { loadResident, reloadRecord } from './resident-access.ts';
import { diffRows, touchesBasicAttributes, writeResidentEvent } from './resident-events.ts';
import { checkResultingRow, checkText, collectProblems, residentAsImportRow, throwIfProblems } from './change-input-checks.ts';
import { registryError } from './errors.ts';

/** The fields a 職権修正 may change, and their columns. Anything else (status, numbers, household) has its own 異動. */
const CORRECTABLE = {
  familyName: 'family_name',
  givenName: 'given_name',
  familyNameKana: 'family_name_kana',
  givenNameKana: 'given_name_kana',
  birthDate: 'birth_date',
  sex: 'sex',
  postalCode: 'postal_code',
  address: 'address',
  honseki: 'honseki',
  hittosha: 'hittosha',
  nationality: 'nationality',
  residenceStatus: 'residence_status',
  residenceExpiry: 'residence_expiry',
  residenceCardNumber: 'residence_card_number',
  aliasName: 'alias_name',
} as const satisfies Partial<Record<keyof ResidentRecord, keyof ResidentRow>>;

export type CorrectableField = keyof typeof CORRECTABLE;

export interface CorrectionInput {
  /** The `version` the staff member saw; a stale one is a conflict, not an overwrite. */
  expectedVersion: number;
  reason: string;
  changes: Partial<Pick<ResidentRecord, CorrectableField>>;
}

/**
 * Corrects entries of a record by 職権. The resulting record must pass the same checks as an
 * import; a correction of a basic attribute (氏名, 住所, 生年月日, 性別) goes to the outbox, one of
 * e.g. 本籍 does not.
 *
 * @throws REGISTRY_RESIDENT_NOT_FOUND, REGISTRY_VERSION_CONFLICT, REGISTRY_RESIDENT_INVALID / REGISTRY_DATE_INVALID
 * @example
 * await correctResident(ctx, staff, id, { expectedVersion: record.version, reason: '届出書の誤記', changes: { honseki: '東京都三鷹市野崎一丁目1番地' } });
 */
export async function correctResident(ctx: RegistryContext, staff: StaffPrincipal, residentId: string, input: CorrectionInput): Promise<ResidentRecord> {
  const now = ctx.clock.now();
  const today = jstDate(now);
  return ctx.db.transaction().execute(async (tx) => {
    // Any status: a 除票 (転出済み, 死亡) is corrected the same way.
    const resident = await loadResident(tx, staff, residentId, { forUpdate: true });
    if (resident.version !== input.expectedVersion) {
      throw registryError('REGISTRY_VERSION_CONFLICT', { detail: `現在の版は ${resident.version} です（指定 ${String(input.expectedVersion)}）` });
    }
    const { problems, report } = collectProblems();
    checkText(report, 'reason', '修正の事由', input.reason, 200);
    const changes: Partial<ResidentRow> = {};
    const fields = Object.keys(input.changes ?? {});
    if (fields.length === 0) report('changes', 'REQUIRED', '修正する項目を1つ以上指定してください');
    for (const field of fields) {
      const value = (input.changes as Record<string, unknown>)[field];
      if (!(field in CORRECTABLE)) {
        report(`changes.${field}`, 'NOT_CORRECTABLE', `項目「${field}」は職権修正では変更できません`);
        continue;
      }
      (changes as Record<string, unknown>)[CORRECTABLE[field as CorrectableField]] = value === '' || value === undefined ? null : value;
    }
    const corrected = residentAsImportRow({ ...resident, ...changes } as ResidentRow);
    checkResultingRow(report, corrected, today, (field) => (field === 'registeredOn' ? 'changes.birthDate' : `changes.${field}`));
    throwIfProblems(problems);

    const diff = diffRows(resident, changes);
    if (Object.keys(diff.after).length === 0) {
      throw registryError('REGISTRY_RESIDENT_INVALID', { problems: [{ field: 'changes', code: 'UNCHANGED', reason: '修正内容が現在の記載と同じです' }] });
    }
    await tx.updateTable('registry.residents').set({ ...changes, version: resident.version + 1, updated_at: now })
      .where('id', '=', resident.id).execute();
    await writeResidentEvent(tx, {
      staff, resident, kind: 'correction', occurredOn: today, recordedAt: now,
      before: diff.before, after: diff.after, note: input.reason.trim(),
      ...(touchesBasicAttributes(diff.after) ? { outboxTopic: 'resident.basic-attributes-changed' as const } : {}),
    });
    return reloadRecord(tx, staff, resident.id);
  });
}
