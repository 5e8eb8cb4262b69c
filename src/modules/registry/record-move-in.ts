// 転入: registers someone arriving from another municipality of this deployment (completing their 転出) or from outside it.
import { randomUUID } from 'node:crypto';
import { jstDate } from '../../kernel/clock.ts';
import { checkId } from '../../kernel/ids/check-digits.ts';
import type { HouseholdTarget, NewPersonInput, Relationship, ResidentRecord, StaffPrincipal } from './contract.ts';
import type { RegistryContext } from './registry-context.ts';
import type { RegistryDb, ResidentRow } from './db/tables.ts';
import { newResidentRow } from './new-resident-row.ts';
import { reloadRecord } from './resident-access.ts';
import { diffRows, touchesBasicAttributes, writeResidentEvent } from './resident-events.ts';
import {
  checkDate, checkResultingRow, collectProblems, normalisePerson, personAsImportRow, residentAsImportRow, throwIfProblems,
} from './change-input-checks.ts';
import { prepareTarget, settleTarget, targetPlace, type HouseholdRow, type PreparedTarget } from './household-membership.ts';
import { registryError } from './errors.ts';

export interface MoveInInput {
  /** 住民票コード of someone who filed a 転出届 in another municipality of this deployment. */
  fromResidentCode?: string;
  /** The person, when they come from outside the deployment (国外からの転入 and the like). */
  person?: NewPersonInput;
  relationship: Relationship;
  target: HouseholdTarget;
  occurredOn: string;
}

/**
 * Records a 転入届. With `fromResidentCode` the person keeps their 住民票コード and individual
 * number: their row in the former municipality becomes 転出済み and a new row is created here
 * (the 転入通知 of 住民基本台帳法 第9条, done in one transaction since both municipalities share
 * the database). Without it, `person` is required and gets a new code and number.
 *
 * @throws REGISTRY_RESIDENT_CODE_INVALID, REGISTRY_RESIDENT_NOT_FOUND, REGISTRY_MOVE_IN_NOT_MOVED_OUT
 *   (still 記録中 elsewhere), REGISTRY_MOVE_IN_SAME_MUNICIPALITY, REGISTRY_HOUSEHOLD_*, REGISTRY_RESIDENT_INVALID / REGISTRY_DATE_INVALID
 * @example
 * await recordMoveIn(ctx, staff, { fromResidentCode, relationship: '世帯主', target: { newHousehold: { address, postalCode } }, occurredOn });
 */
export async function recordMoveIn(ctx: RegistryContext, staff: StaffPrincipal, input: MoveInInput): Promise<ResidentRecord> {
  const now = ctx.clock.now();
  const today = jstDate(now);
  const fromCode = input.fromResidentCode;
  if (fromCode !== undefined && fromCode !== null) {
    const check = checkId('resident-code', fromCode);
    if (!check.valid) throw registryError('REGISTRY_RESIDENT_CODE_INVALID', { detail: check.reason });
    if (input.person) {
      throw registryError('REGISTRY_RESIDENT_INVALID', { problems: [{ field: 'person', code: 'NOT_APPLICABLE', reason: '住民票コードを指定した転入では記載事項は前住所地の住民票から引き継ぎます（person は指定しません）' }] });
    }
  } else if (!input.person) {
    throw registryError('REGISTRY_RESIDENT_INVALID', { problems: [{ field: 'person', code: 'REQUIRED', reason: '住民票コード（fromResidentCode）がない転入では、記載事項（person）が必須です' }] });
  }

  return ctx.db.transaction().execute(async (tx) => {
    const id = fromCode != null
      ? await moveInFromDeployment(ctx, tx, staff, { ...input, fromResidentCode: fromCode }, now, today)
      : await moveInFromOutside(ctx, tx, staff, { ...input, person: normalisePerson(input.person!) }, now, today);
    return reloadRecord(tx, staff, id);
  });
}

async function moveInFromDeployment(ctx: RegistryContext, tx: RegistryDb, staff: StaffPrincipal, input: MoveInInput & { fromResidentCode: string }, now: Date, today: string): Promise<string> {
  // Across municipalities on purpose: the 転入地 completes the 転出 of the 転出地.
  const source = await tx.selectFrom('registry.residents').selectAll()
    .where('resident_code', '=', input.fromResidentCode).where('status', 'in', ['active', 'moving_out'])
    .forUpdate().executeTakeFirst();
  if (!source) throw registryError('REGISTRY_RESIDENT_NOT_FOUND', { detail: '転出届済みの住民票が見つかりません' });
  if (source.lg_code === staff.lgCode) throw registryError('REGISTRY_MOVE_IN_SAME_MUNICIPALITY');
  if (source.status === 'active') throw registryError('REGISTRY_MOVE_IN_NOT_MOVED_OUT', { detail: '前住所地で転出届をしてから転入届をしてください' });

  const target = await prepareTarget(tx, staff.lgCode, input.target);
  const place = targetPlace(target);
  const { problems, report } = collectProblems();
  checkDate(report, 'occurredOn', '転入日', input.occurredOn, {
    latest: today,
    earliest: { date: source.registered_on, reason: '転入日が前住所地で住民となった日より前です' },
  });
  checkResultingRow(report, { ...residentAsImportRow(source), relationship: input.relationship, ...place, registeredOn: input.occurredOn }, today, fieldName);
  throwIfProblems(problems);

  const household = await settleTarget(tx, staff.lgCode, target, input.relationship, now);
  const closing = { status: 'moved_out' as const, moved_out_on: input.occurredOn, moved_out_to: place.address };
  const closed = diffRows(source, closing);
  await tx.updateTable('registry.residents').set({ ...closing, version: source.version + 1, updated_at: now })
    .where('id', '=', source.id).execute();
  await writeResidentEvent(tx, {
    staff, resident: source, kind: 'move_out_completed', occurredOn: input.occurredOn, recordedAt: now,
    before: closed.before, after: closed.after, note: '転入通知により転出確定',
  });

  const row: ResidentRow = {
    ...source,
    id: randomUUID(), lg_code: staff.lgCode, household_id: household.id, relationship: input.relationship,
    postal_code: household.postal_code, address: household.address,
    status: 'active', registered_on: input.occurredOn, moved_out_on: null, moved_out_to: null, died_on: null,
    version: 1, created_at: now, updated_at: now,
  };
  await tx.insertInto('registry.residents').values(row).execute();
  // The row id differs by construction; the history shows what changed for the person.
  const { before: { id: _oldId, ...previous }, after: { id: _newId, ...changed } } = diffRows(source, row);
  // The address on the person's signing certificate is no longer theirs: JPKI must hear of it.
  await writeResidentEvent(tx, {
    staff, resident: row, kind: 'move_in', occurredOn: input.occurredOn, recordedAt: now,
    before: previous, after: changed,
    ...(touchesBasicAttributes(changed) ? { outboxTopic: 'resident.basic-attributes-changed' as const } : {}),
  });
  return row.id;
}

async function moveInFromOutside(ctx: RegistryContext, tx: RegistryDb, staff: StaffPrincipal, input: MoveInInput & { person: NewPersonInput }, now: Date, today: string): Promise<string> {
  const target: PreparedTarget = await prepareTarget(tx, staff.lgCode, input.target);
  const { problems, report } = collectProblems();
  checkDate(report, 'occurredOn', '転入日', input.occurredOn, { latest: today });
  if (input.person.relationship !== undefined && input.person.relationship !== input.relationship) {
    report('person.relationship', 'RELATIONSHIP_MISMATCH', '続柄（relationship）と person.relationship が異なります');
  }
  checkResultingRow(report, personAsImportRow({ ...input.person, relationship: input.relationship }, targetPlace(target), input.occurredOn), today, (field) =>
    (field === 'relationship' || field === 'address' || field === 'postalCode' ? fieldName(field) : field === 'registeredOn' ? 'occurredOn' : `person.${field}`));
  throwIfProblems(problems);

  const household: HouseholdRow = await settleTarget(tx, staff.lgCode, target, input.relationship, now);
  const row = await newResidentRow(tx, ctx.keys, { lgCode: staff.lgCode, person: input.person, household, relationship: input.relationship, registeredOn: input.occurredOn, now });
  await tx.insertInto('registry.residents').values(row).execute();
  // Someone new to the deployment holds no certificate yet: no outbox message.
  await writeResidentEvent(tx, {
    staff, resident: row, kind: 'move_in', occurredOn: input.occurredOn, recordedAt: now,
    before: null, after: diffRows({}, row).after,
  });
  return row.id;
}

/** Names of the resulting row's fields as the 転入届 input calls them. */
function fieldName(field: string): string {
  switch (field) {
    case 'relationship': return 'relationship';
    case 'registeredOn': return 'occurredOn';
    case 'address': return 'target.newHousehold.address';
    case 'postalCode': return 'target.newHousehold.postalCode';
    default: return `person.${field}`;
  }
}
