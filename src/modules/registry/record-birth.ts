// 出生: registers a newborn into an existing household, with a new 住民票コード and a first individual number.
import { jstDate } from '../../kernel/clock.ts';
import type { NewPersonInput, ResidentRecord, StaffPrincipal } from './contract.ts';
import type { RegistryContext } from './registry-context.ts';
import { newResidentRow } from './new-resident-row.ts';
import { reloadRecord } from './resident-access.ts';
import { diffRows, writeResidentEvent } from './resident-events.ts';
import { checkDate, checkResultingRow, collectProblems, normalisePerson, personAsImportRow, throwIfProblems } from './change-input-checks.ts';
import { prepareTarget, settleTarget, targetPlace } from './household-membership.ts';
import { registryError } from './errors.ts';

/**
 * Records a birth (出生届) into a household of the staff member's municipality. The 異動日 is the
 * birth date, which is also the date the child became a resident (住民となった年月日).
 *
 * @throws REGISTRY_HOUSEHOLD_NOT_FOUND, REGISTRY_HOUSEHOLD_HEAD_DUPLICATE (続柄 世帯主 where there is one),
 *   REGISTRY_RESIDENT_INVALID / REGISTRY_DATE_INVALID with every problem
 * @example
 * const child = await recordBirth(ctx, staff, { householdId, occurredOn: '2026-11-20', person: { relationship: '子', … } });
 */
export async function recordBirth(ctx: RegistryContext, staff: StaffPrincipal, input: { householdId: string; person: NewPersonInput; occurredOn: string }): Promise<ResidentRecord> {
  if (!input.person) throw registryError('REGISTRY_RESIDENT_INVALID', { problems: [{ field: 'person', code: 'REQUIRED', reason: '出生した子の記載事項（person）は必須です' }] });
  const person = normalisePerson(input.person);
  const now = ctx.clock.now();
  const today = jstDate(now);

  return ctx.db.transaction().execute(async (tx) => {
    const target = await prepareTarget(tx, staff.lgCode, { householdId: input.householdId });
    const { problems, report } = collectProblems();
    if (checkDate(report, 'occurredOn', '出生日', input.occurredOn, { latest: today }) && input.occurredOn !== person.birthDate) {
      report('occurredOn', 'DATE_NOT_BIRTH_DATE', '出生の異動日は生年月日と同じ日です');
    }
    checkResultingRow(report, personAsImportRow(person, targetPlace(target), person.birthDate), today, (field) =>
      // The registration date is the birth date here, so its problems repeat those of birthDate.
      (field === 'registeredOn' ? null : `person.${field}`));
    throwIfProblems(problems);

    const household = await settleTarget(tx, staff.lgCode, target, person.relationship, now);
    const row = await newResidentRow(tx, ctx.keys, { lgCode: staff.lgCode, person, household, relationship: person.relationship, registeredOn: person.birthDate, now });
    await tx.insertInto('registry.residents').values(row).execute();
    // A newborn has no certificate yet, so nothing for the outbox.
    await writeResidentEvent(tx, {
      staff, resident: row, kind: 'birth', occurredOn: person.birthDate, recordedAt: now,
      before: null, after: diffRows({}, row).after,
    });
    return reloadRecord(tx, staff, row.id);
  });
}
