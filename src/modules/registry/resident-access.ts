// Loading a resident on behalf of staff (tenant-scoped, 404 for other municipalities) and recording reads in the audit log.
import type { Kysely } from 'kysely';
import type { ReadContext, ResidentRecord, StaffPrincipal } from './contract.ts';
import type { RegistryContext } from './registry-context.ts';
import type { RegistryDb, ResidentRow } from './db/tables.ts';
import { toResidentRecord } from './db/resident-mapping.ts';
import { registryError } from './errors.ts';
import { isUuid } from '../../kernel/ids/uuid.ts';

/**
 * The resident row with its household number, only if it belongs to the staff member's
 * municipality (another municipality's resident is "not found", so existence does not leak).
 * Pass `forUpdate` inside a transaction to lock the row.
 */
export async function loadResident(db: RegistryDb, staff: StaffPrincipal, residentId: string, options: { forUpdate?: boolean } = {}): Promise<ResidentRow & { household_no: string }> {
  if (!isUuid(residentId)) throw registryError('REGISTRY_RESIDENT_NOT_FOUND', { detail: '住民IDの形式が不正です' });
  let query = db.selectFrom('registry.residents as r')
    .innerJoin('registry.households as h', 'h.id', 'r.household_id')
    .selectAll('r').select('h.household_no')
    .where('r.id', '=', residentId).where('r.lg_code', '=', staff.lgCode);
  if (options.forUpdate) query = query.forUpdate('r');
  const row = await query.executeTakeFirst();
  if (!row) throw registryError('REGISTRY_RESIDENT_NOT_FOUND');
  return row;
}

/** Throws unless the resident is currently registered (not 転出予定/転出済み/死亡). */
export function requireActive(row: Pick<ResidentRow, 'status'>): void {
  if (row.status === 'moving_out') throw registryError('REGISTRY_MOVE_OUT_PENDING');
  if (row.status !== 'active') throw registryError('REGISTRY_RESIDENT_NOT_ACTIVE', { detail: `状態: ${row.status}` });
}

/** Validates the purpose of a read (利用目的): required, 1–200 characters. */
export function checkPurpose(purpose: string | undefined): string {
  const trimmed = (purpose ?? '').trim();
  if (trimmed.length === 0 || trimmed.length > 200) throw registryError('REGISTRY_PURPOSE_REQUIRED');
  return trimmed;
}

/**
 * Records that staff read these people's data, one audit record per person, so each person
 * finds the read in their own access record (Mynaportal 自己情報の閲覧記録).
 */
export async function recordRead(ctx: RegistryContext, read: ReadContext, action: string, residentCodes: readonly string[], detail: Record<string, unknown> = {}, tx?: Kysely<any>): Promise<void> {
  const purpose = checkPurpose(read.purpose);
  const entries = [...new Set(residentCodes)].map((code) => ({
    actor: { kind: 'staff' as const, id: read.staff.apiKeyId, name: read.staff.staffName },
    lgCode: read.staff.lgCode,
    action,
    subject: { kind: 'resident', ref: code },
    purpose,
    detail,
  }));
  if (entries.length === 0) return;
  if (tx) await ctx.audit.recordIn(tx, ...entries);
  else await ctx.audit.record(...entries);
}

/** Re-reads a resident as a record (after a change). */
export async function reloadRecord(db: RegistryDb, staff: StaffPrincipal, residentId: string): Promise<ResidentRecord> {
  return toResidentRecord(await loadResident(db, staff, residentId));
}
