// Maintenance windows (保守のための停止): schedule, list, end early and remove, one municipality's or the whole service's; each change audited.
import type { Kysely } from 'kysely';
import type { Clock } from '../../kernel/clock.ts';
import type { AuditLog } from '../../kernel/audit/audit-log.ts';
import { issuanceError } from './errors.ts';

/** What the window functions work with. */
export interface MaintenanceContext {
  db: Kysely<any>;
  clock: Clock;
  audit: AuditLog;
}

/** A stored window, with where it stands at the time it was read. */
export interface ScheduledMaintenance {
  /** The window's id (a decimal number as text). */
  id: string;
  /** null: the whole service. */
  lgCode: string | null;
  from: Date;
  until: Date;
  reason: string;
  /** `current`: the service is stopped now; `upcoming`: not started yet; `ended`: over. */
  state: 'current' | 'upcoming' | 'ended';
}

/** What `endMaintenanceWindow` did: shortened a current window, dropped one not started, or found it already over. */
export type MaintenanceEnding = { outcome: 'ended' | 'removed' | 'already_ended'; window: ScheduledMaintenance };

interface WindowRow { id: string | number | bigint; lg_code: string | null; starts_at: Date; ends_at: Date; reason: string }

const LG_CODE = /^\d{6}$/;
// bigserial ids; more digits than int8 holds would be a database error, so they are simply unknown.
const WINDOW_ID = /^[1-9]\d{0,17}$/;

function toWindow(row: WindowRow, now: Date): ScheduledMaintenance {
  const state = row.ends_at <= now ? 'ended' : row.starts_at > now ? 'upcoming' : 'current';
  return { id: String(row.id), lgCode: row.lg_code, from: row.starts_at, until: row.ends_at, reason: row.reason, state };
}

/**
 * Who stopped the service when is an operator's question after an incident: every change is an
 * audit record (no person's data, so no subject), committed with the change itself.
 */
function recordChange(ctx: MaintenanceContext, tx: Kysely<any>, change: 'schedule' | 'end' | 'remove', window: ScheduledMaintenance): Promise<void> {
  return ctx.audit.recordIn(tx, {
    actor: { kind: 'system', id: 'issuance', name: 'issuance' }, lgCode: window.lgCode, action: `issuance.maintenance.${change}`,
    detail: { windowId: window.id, wholeService: window.lgCode === null, from: window.from.toISOString(), until: window.until.toISOString(), reason: window.reason },
  });
}

function checkId(id: string): void {
  if (typeof id !== 'string' || !WINDOW_ID.test(id)) throw issuanceError('ISSUANCE_MAINTENANCE_NOT_FOUND', { detail: `ID ${String(id).slice(0, 40)}` });
}

/**
 * Schedules a stop of one municipality's certificate server, or of the whole service (lgCode null).
 *
 * @example await addMaintenanceWindow(ctx, { lgCode: null, from, until, reason: '定期保守' }) // { id: '1', state: 'upcoming', … }
 */
export async function addMaintenanceWindow(ctx: MaintenanceContext, input: { lgCode: string | null; from: Date; until: Date; reason: string }): Promise<ScheduledMaintenance> {
  const valid = input.from instanceof Date && input.until instanceof Date && !Number.isNaN(input.from.getTime()) && !Number.isNaN(input.until.getTime())
    && input.from < input.until && typeof input.reason === 'string' && input.reason.trim() !== '' && input.reason.length <= 200
    && (input.lgCode === null || (typeof input.lgCode === 'string' && LG_CODE.test(input.lgCode)));
  if (!valid) throw issuanceError('ISSUANCE_REQUEST_INVALID', { detail: '開始は終了より前、理由は必須（200文字以内）、団体コードは6桁です' });
  return ctx.db.transaction().execute(async (tx) => {
    const row = await tx.insertInto('issuance.maintenance_windows')
      .values({ lg_code: input.lgCode, starts_at: input.from, ends_at: input.until, reason: input.reason.trim() })
      .returningAll().executeTakeFirstOrThrow() as WindowRow;
    const window = toWindow(row, ctx.clock.now());
    await recordChange(ctx, tx, 'schedule', window);
    return window;
  });
}

/**
 * Windows not yet over (current and upcoming), earliest first. `lgCode`: that municipality's windows
 * and the whole service's (both stop it); null: the whole service's only; omitted: all.
 *
 * @example await listMaintenanceWindows(ctx, { lgCode: '132047' })
 */
export async function listMaintenanceWindows(ctx: MaintenanceContext, filter: { lgCode?: string | null } = {}): Promise<ScheduledMaintenance[]> {
  const now = ctx.clock.now();
  let query = ctx.db.selectFrom('issuance.maintenance_windows').selectAll().where('ends_at', '>', now);
  if (filter.lgCode === null) query = query.where('lg_code', 'is', null);
  else if (filter.lgCode !== undefined) {
    const lgCode = filter.lgCode;
    if (typeof lgCode !== 'string' || !LG_CODE.test(lgCode)) throw issuanceError('ISSUANCE_REQUEST_INVALID', { detail: '団体コードは6桁です' });
    query = query.where((eb) => eb.or([eb('lg_code', '=', lgCode), eb('lg_code', 'is', null)]));
  }
  const rows = await query.orderBy('starts_at').orderBy('id').execute() as WindowRow[];
  return rows.map((r) => toWindow(r, now));
}

/**
 * Ends a window now: a current one gets `until` = now (the service reopens at once, within its
 * hours); one that has not started is removed; one already over is left as it is (and not audited).
 *
 * @example await endMaintenanceWindow(ctx, '3') // { outcome: 'ended', window: { until: now, state: 'ended', … } }
 */
export async function endMaintenanceWindow(ctx: MaintenanceContext, id: string): Promise<MaintenanceEnding> {
  checkId(id);
  const now = ctx.clock.now();
  // Each step is one conditional statement, so a window that starts or ends meanwhile is never half-changed.
  return ctx.db.transaction().execute(async (tx): Promise<MaintenanceEnding> => {
    const ended = await tx.updateTable('issuance.maintenance_windows').set({ ends_at: now })
      .where('id', '=', id).where('starts_at', '<=', now).where('ends_at', '>', now).returningAll().executeTakeFirst() as WindowRow | undefined;
    const removed = ended ? undefined
      : await tx.deleteFrom('issuance.maintenance_windows').where('id', '=', id).where('starts_at', '>', now).returningAll().executeTakeFirst() as WindowRow | undefined;
    const changed = ended ?? removed;
    if (changed) {
      const window = toWindow(changed, now);
      await recordChange(ctx, tx, ended ? 'end' : 'remove', window);
      return { outcome: ended ? 'ended' : 'removed', window };
    }
    const over = await tx.selectFrom('issuance.maintenance_windows').selectAll().where('id', '=', id).executeTakeFirst() as WindowRow | undefined;
    if (!over) throw issuanceError('ISSUANCE_MAINTENANCE_NOT_FOUND', { detail: `ID ${id}` });
    return { outcome: 'already_ended', window: toWindow(over, now) };
  });
}

/**
 * Deletes a window, whatever its state (a past one leaves no trace in the calendar; the audit log keeps it).
 *
 * @example await removeMaintenanceWindow(ctx, '3') // the removed window
 */
export async function removeMaintenanceWindow(ctx: MaintenanceContext, id: string): Promise<ScheduledMaintenance> {
  checkId(id);
  return ctx.db.transaction().execute(async (tx) => {
    const removed = await tx.deleteFrom('issuance.maintenance_windows').where('id', '=', id).returningAll().executeTakeFirst() as WindowRow | undefined;
    if (!removed) throw issuanceError('ISSUANCE_MAINTENANCE_NOT_FOUND', { detail: `ID ${id}` });
    const window = toWindow(removed, ctx.clock.now());
    await recordChange(ctx, tx, 'remove', window);
    return window;
  });
}
