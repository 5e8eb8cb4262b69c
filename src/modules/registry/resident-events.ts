// Writes a resident's history entry (異動履歴) and, when the 4 basic attributes change or the person dies, an outbox message.
import type { ResidentEventKind, OutboxMessage, StaffPrincipal } from './contract.ts';
import type { RegistryDb, ResidentRow } from './db/tables.ts';

/** The 基本4情報 (name, address, birth date, sex) that a JPKI signing certificate carries. */
export const BASIC_ATTRIBUTE_COLUMNS = ['family_name', 'given_name', 'address', 'birth_date', 'sex'] as const;

/** Columns never copied into history or the outbox (番号法: the number stays in its table). */
const NEVER_IN_HISTORY = new Set(['individual_number', 'created_at', 'updated_at', 'version']);

/** The changed columns of a row, before and after, without the individual number. */
export function diffRows(before: Partial<ResidentRow>, after: Partial<ResidentRow>): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof ResidentRow)[]) {
    if (NEVER_IN_HISTORY.has(key)) continue;
    if (before[key] !== after[key]) {
      b[key] = before[key] ?? null;
      a[key] = after[key] ?? null;
    }
  }
  return { before: b, after: a };
}

/**
 * Appends one history entry, plus the outbox message other modules act on. Call inside the
 * transaction that makes the change.
 */
export async function writeResidentEvent(
  tx: RegistryDb,
  input: {
    staff: StaffPrincipal | { system: string };
    resident: Pick<ResidentRow, 'id' | 'lg_code' | 'resident_code'>;
    kind: ResidentEventKind;
    occurredOn: string;
    recordedAt: Date;
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
    note?: string | null;
    /** Set for changes the JPKI must hear about. */
    outboxTopic?: OutboxMessage['topic'];
  },
): Promise<void> {
  const staffName = 'system' in input.staff ? input.staff.system : `${input.staff.staffName} (${input.staff.apiKeyId})`;
  await tx.insertInto('registry.resident_events').values({
    lg_code: input.resident.lg_code,
    resident_id: input.resident.id,
    kind: input.kind,
    occurred_on: input.occurredOn,
    recorded_at: input.recordedAt,
    staff: staffName,
    before: input.before === null ? null : JSON.stringify(input.before),
    after: input.after === null ? null : JSON.stringify(input.after),
    note: input.note ?? null,
  }).execute();
  if (input.outboxTopic) {
    await tx.insertInto('registry.outbox').values({
      topic: input.outboxTopic,
      lg_code: input.resident.lg_code,
      resident_code: input.resident.resident_code,
      payload: JSON.stringify({ kind: input.kind, occurredOn: input.occurredOn, changed: Object.keys(input.after ?? {}) }),
      created_at: input.recordedAt,
    }).execute();
  }
}

/** True when a change touches one of the 4 basic attributes. */
export function touchesBasicAttributes(changed: Record<string, unknown>): boolean {
  return BASIC_ATTRIBUTE_COLUMNS.some((c) => c in changed);
}
