// Revocation push, step 2: sends due webhook deliveries, signed, retrying with backoff until delivered or abandoned.
import { sql } from 'kysely';
import type { JpkiDeps } from '../config.ts';
import { WEBHOOK_DELIVERY_HEADER, WEBHOOK_SIGNATURE_HEADER, webhookSigningKey, type WebhookSigningKey } from './webhook-signer.ts';

/**
 * Attempts before a delivery is abandoned. With the schedule of webhookRetryDelayMs the last attempt
 * comes about 2.6 days after the first, so a receiver down over a weekend still gets everything.
 * An abandoned delivery stays in jpki.webhook_deliveries: `delivered_at IS NULL AND attempts >= 20`,
 * with last_error `abandoned after 20 attempts: …`. Setting attempts back to 0 sends it again.
 */
export const WEBHOOK_MAX_ATTEMPTS = 20;

const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 6 * 60 * 60 * 1000;
const JITTER = 0.2;

/**
 * How long to wait after the `attempts`-th failed attempt: 30 s · 2^(attempts − 1), at most 6 h,
 * up to 20 % earlier at random so that receivers coming back up are not hit by every retry at once.
 *
 * @example
 * webhookRetryDelayMs(1); // 24–30 s
 * webhookRetryDelayMs(12); // 4.8–6 h
 */
export function webhookRetryDelayMs(attempts: number, random: () => number = Math.random): number {
  if (!Number.isInteger(attempts) || attempts < 1) throw new TypeError('attempts is a positive integer');
  const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.min(attempts - 1, 30));
  return Math.round(delay * (1 - JITTER * random()));
}

export interface WebhookDispatcherOptions {
  /** The HTTP client; default: the global fetch. */
  fetch?: typeof fetch;
  /** Deliveries claimed per round; default 20. */
  batch?: number;
  /** Time limit of one request, connection included; default 10 000 ms. */
  timeoutMs?: number;
}

export interface WebhookDispatcher {
  /**
   * Sends every due delivery, round after round until none is left; returns how many attempts
   * succeeded and failed. Receivers' failures never throw (they are recorded and retried); a database
   * or key-store failure does, and the claimed deliveries are then sent again once their lease ends.
   */
  deliverDue(): Promise<{ delivered: number; failed: number }>;
  /** Calls deliverDue every `intervalMs` (default 5 000) until stopped; failures are logged. */
  start(intervalMs?: number): void;
  /** Stops the timer and waits for a round in progress. */
  stop(): Promise<void>;
}

interface Claimed {
  id: string;
  verifier_id: string;
  payload: unknown;
  attempts: number;
  created_at: Date;
  webhook_url: string | null;
  active: boolean;
}

type Outcome = { ok: true } | { ok: false; error: string };

/**
 * Creates the dispatcher. Deliveries are claimed with FOR UPDATE SKIP LOCKED and leased (next_attempt_at
 * moved past the request's time limit) in one short statement, then sent outside any transaction, so
 * several dispatchers can run side by side, no transaction is held open across HTTP (PGlite has a single
 * connection), and a crash mid-send only means the delivery goes again after its lease, with the same
 * delivery ID. Delivery is therefore at least once; receivers de-duplicate on the delivery ID.
 *
 * Order: a delivery waits while an earlier one (lower `sequence`) for the same stored certificate is
 * neither delivered nor abandoned, so a release never overtakes its hold. Requests to one verifier go
 * one at a time; after one fails, its other deliveries of the round wait 30 s (attempts unchanged).
 *
 * @example
 * const dispatcher = createWebhookDispatcher(deps);
 * dispatcher.start();
 * // on shutdown
 * await dispatcher.stop();
 */
export function createWebhookDispatcher(deps: JpkiDeps, options: WebhookDispatcherOptions = {}): WebhookDispatcher {
  const send = options.fetch ?? fetch;
  const batch = options.batch ?? 20;
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (!Number.isInteger(batch) || batch < 1) throw new TypeError('batch is a positive integer');
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new TypeError('timeoutMs is a positive integer (milliseconds)');
  const leaseMs = timeoutMs + 60_000;

  async function claim(): Promise<Claimed[]> {
    const now = deps.clock.now();
    const { rows } = await sql<Claimed>`
      WITH due AS MATERIALIZED (
        SELECT c.id FROM jpki.webhook_deliveries AS c
        WHERE c.delivered_at IS NULL AND c.attempts < ${WEBHOOK_MAX_ATTEMPTS} AND c.next_attempt_at <= ${now}
          AND NOT EXISTS (
            SELECT 1 FROM jpki.webhook_deliveries AS p
            WHERE p.stored_certificate_id = c.stored_certificate_id AND p.delivered_at IS NULL AND p.attempts < ${WEBHOOK_MAX_ATTEMPTS}
              AND (p.payload->>'sequence')::int < (c.payload->>'sequence')::int)
        ORDER BY c.next_attempt_at, c.created_at, c.id
        LIMIT ${batch}
        FOR UPDATE SKIP LOCKED)
      UPDATE jpki.webhook_deliveries AS d SET next_attempt_at = ${new Date(now.getTime() + leaseMs)}
      FROM due, jpki.verifiers AS v
      WHERE d.id = due.id AND v.id = d.verifier_id
      RETURNING d.id, d.verifier_id, d.payload, d.attempts, d.created_at, v.webhook_url, v.active`.execute(deps.database.db);
    return rows;
  }

  function describeFailure(error: unknown): string {
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `timeout after ${timeoutMs} ms`;
    const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
    if (typeof code === 'string') return `network error ${code}`;
    // Not the message: it can quote the URL.
    return `network error ${error instanceof Error ? error.name : typeof error}`;
  }

  async function post(delivery: Claimed, signer: WebhookSigningKey): Promise<Outcome> {
    if (!delivery.active) return { ok: false, error: 'verifier inactive' };
    if (!delivery.webhook_url) return { ok: false, error: 'verifier has no webhook URL' };
    const body = Buffer.from(JSON.stringify(delivery.payload), 'utf8');
    const signature = await signer.sign(body);
    try {
      const response = await send(delivery.webhook_url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'myna-platform-jpki-webhooks',
          [WEBHOOK_DELIVERY_HEADER]: delivery.id,
          [WEBHOOK_SIGNATURE_HEADER]: signature,
        },
        body,
        // A redirect is a failure: the signed body goes to the registered URL only.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body?.cancel().catch(() => undefined);
      return response.status >= 200 && response.status < 300 ? { ok: true } : { ok: false, error: `HTTP ${response.status}` };
    } catch (error) {
      return { ok: false, error: describeFailure(error) };
    }
  }

  async function record(delivery: Claimed, outcome: Outcome): Promise<void> {
    const now = deps.clock.now();
    const attempts = delivery.attempts + 1;
    const ids = { deliveryId: delivery.id, verifierId: delivery.verifier_id, attempts };
    const table = deps.database.db.updateTable('jpki.webhook_deliveries').where('id', '=', delivery.id);
    if (outcome.ok) {
      await table.set({ delivered_at: now, attempts, last_error: null }).execute();
      deps.logger.debug(ids, 'jpki webhook delivered');
    } else if (attempts >= WEBHOOK_MAX_ATTEMPTS) {
      await table.set({ attempts, last_error: `abandoned after ${attempts} attempts: ${outcome.error}`, next_attempt_at: now }).execute();
      deps.logger.error({ ...ids, error: outcome.error }, 'jpki webhook abandoned');
    } else {
      await table.set({ attempts, last_error: outcome.error, next_attempt_at: new Date(now.getTime() + webhookRetryDelayMs(attempts)) }).execute();
      deps.logger.warn({ ...ids, error: outcome.error }, 'jpki webhook failed; will retry');
    }
  }

  /** One verifier's deliveries of a round, in order; after a failure the rest wait. */
  async function deliverTo(deliveries: Claimed[], signer: WebhookSigningKey, counts: { delivered: number; failed: number }): Promise<void> {
    for (const [index, delivery] of deliveries.entries()) {
      const outcome = await post(delivery, signer);
      await record(delivery, outcome);
      if (outcome.ok) {
        counts.delivered += 1;
        continue;
      }
      counts.failed += 1;
      const rest = deliveries.slice(index + 1).map((d) => d.id);
      if (rest.length > 0) {
        await deps.database.db.updateTable('jpki.webhook_deliveries').set({ next_attempt_at: new Date(deps.clock.now().getTime() + FIRST_RETRY_MS) })
          .where('id', 'in', rest).execute();
      }
      return;
    }
  }

  async function deliverDue(): Promise<{ delivered: number; failed: number }> {
    const counts = { delivered: 0, failed: 0 };
    let signer: WebhookSigningKey | undefined;
    for (;;) {
      const claimed = await claim();
      if (claimed.length === 0) return counts;
      signer ??= await webhookSigningKey(deps);
      const byVerifier = new Map<string, Claimed[]>();
      claimed.sort((a, b) => new Date(a.created_at).getTime() - new Date(b.created_at).getTime() || a.id.localeCompare(b.id));
      for (const delivery of claimed) byVerifier.set(delivery.verifier_id, [...(byVerifier.get(delivery.verifier_id) ?? []), delivery]);
      const key = signer;
      await Promise.all([...byVerifier.values()].map((deliveries) => deliverTo(deliveries, key, counts)));
    }
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = true;

  function schedule(intervalMs: number): void {
    timer = setTimeout(() => {
      running = deliverDue()
        .then(() => undefined, (error: unknown) => { deps.logger.error({ err: error }, 'jpki webhook dispatch failed; will retry'); })
        .finally(() => { if (!stopped) schedule(intervalMs); });
    }, intervalMs);
    timer.unref();
  }

  return {
    deliverDue,
    start(intervalMs = 5000) {
      if (!stopped) return;
      if (!Number.isInteger(intervalMs) || intervalMs < 1) throw new TypeError('intervalMs is a positive integer (milliseconds)');
      stopped = false;
      schedule(intervalMs);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
