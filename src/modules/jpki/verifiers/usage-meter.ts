// Counting verifiers' status checks for billing: counted in memory per request, written in batches.
import { sql } from 'kysely';
import type { JpkiDeps } from '../config.ts';
import type { BilledService } from '../contract.ts';

/** Counts per verifier, month and service. */
export interface UsageMeter {
  count(verifierId: string, service: BilledService): void;
  /** Writes what has been counted; statements call it first. */
  flush(): Promise<void>;
  /** Flushes every `intervalMs` until stopped (the running server). */
  start(intervalMs?: number): void;
  stop(): Promise<void>;
}

/**
 * One UPSERT per request would make the database the OCSP responder's bottleneck, so counts are
 * summed in memory and written at least every second. The trade-off: a crash loses at most the
 * last second's counts, which errs in the verifier's favour and never bills a check twice.
 */
export function createUsageMeter(deps: JpkiDeps): UsageMeter {
  let pending = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();

  async function write(batch: Map<string, number>): Promise<void> {
    if (batch.size === 0) return;
    const rows = [...batch].map(([key, count]) => {
      const [verifierId, month, service] = key.split('|') as [string, string, string];
      return { verifier_id: verifierId, month, service, count };
    });
    try {
      await deps.database.db.insertInto('jpki.usage').values(rows)
        .onConflict((oc) => oc.columns(['verifier_id', 'month', 'service']).doUpdateSet({ count: sql`jpki.usage.count + excluded.count` }))
        .execute();
    } catch (error) {
      // Keep the counts for the next flush rather than lose them.
      for (const [key, count] of batch) pending.set(key, (pending.get(key) ?? 0) + count);
      deps.logger.error({ err: error }, 'jpki usage flush failed; will retry');
    }
  }

  const meter: UsageMeter = {
    count(verifierId, service) {
      // JST has no daylight saving: +9 h then the UTC month is the JST month (Intl costs 15 µs a call on the OCSP path).
      const month = new Date(deps.clock.now().getTime() + 9 * 3_600_000).toISOString().slice(0, 7);
      const key = `${verifierId}|${month}|${service}`;
      pending.set(key, (pending.get(key) ?? 0) + 1);
    },
    flush() {
      flushing = flushing.then(() => {
        const batch = pending;
        pending = new Map();
        return write(batch);
      });
      return flushing;
    },
    start(intervalMs = 1000) {
      if (timer) return;
      timer = setInterval(() => { void meter.flush(); }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await meter.flush();
    },
  };
  return meter;
}
