// The registry's outbox: changes other modules must act on (JPKI revokes certificates), read oldest first and marked consumed.
import type { OutboxMessage } from './contract.ts';
import type { RegistryContext } from './registry-context.ts';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/**
 * Unconsumed messages, oldest first. Consumers process them and then call markOutboxConsumed;
 * a consumer that crashes in between sees the same messages again, so handling must be idempotent.
 *
 * @example
 * for (const m of await pendingOutbox(ctx, 50)) await revokeFor(m);
 */
export async function pendingOutbox(ctx: RegistryContext, limit: number = DEFAULT_LIMIT): Promise<OutboxMessage[]> {
  const take = Number.isInteger(limit) ? Math.min(Math.max(limit, 1), MAX_LIMIT) : DEFAULT_LIMIT;
  const rows = await ctx.db.selectFrom('registry.outbox').select(['id', 'topic', 'lg_code', 'resident_code', 'payload', 'created_at'])
    .where('consumed_at', 'is', null).orderBy('id').limit(take).execute();
  return rows.map((r) => ({
    id: Number(r.id),
    topic: r.topic as OutboxMessage['topic'],
    lgCode: r.lg_code,
    residentCode: r.resident_code,
    payload: r.payload,
    createdAt: new Date(r.created_at),
  }));
}

/** Marks messages consumed; unknown or already consumed ids are ignored, so a retry is harmless. */
export async function markOutboxConsumed(ctx: RegistryContext, ids: readonly number[]): Promise<void> {
  const valid = [...new Set(ids)].filter((id) => Number.isSafeInteger(id) && id > 0);
  if (valid.length === 0) return;
  await ctx.db.updateTable('registry.outbox').set({ consumed_at: ctx.clock.now() })
    .where('id', 'in', valid).where('consumed_at', 'is', null).execute();
}
