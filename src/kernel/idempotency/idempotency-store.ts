// Remembers the first answer to a request sent with an Idempotency-Key, so a retry gets it again instead of a second change.
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Clock } from '../clock.ts';

/** What a caller's key already stands for. */
export type IdempotencyClaim =
  | { kind: 'new' }
  | { kind: 'replay'; status: number; contentType: string | null; body: string }
  | { kind: 'in_progress' }
  | { kind: 'mismatch' };

export interface IdempotencyStore {
  /** Claims the key for this request, or tells what it already stands for. */
  claim(scope: string, key: string, requestHash: string): Promise<IdempotencyClaim>;
  /** Stores the answer of a claimed request. */
  complete(scope: string, key: string, answer: { status: number; contentType: string | null; body: string }): Promise<void>;
  /** Frees a claim whose request failed before changing anything (a 4xx/5xx), so the caller may retry. */
  release(scope: string, key: string): Promise<void>;
}

/** SHA-256 hex of text (scopes and request bodies are stored hashed). */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The claim is committed before the request runs. A process that dies between the change and
 * `complete` leaves the claim `in_progress`: a retry is then refused, never run twice.
 */
export function createIdempotencyStore(db: Kysely<any>, clock: Clock): IdempotencyStore {
  return {
    async claim(scope, key, requestHash) {
      const inserted = await sql<{ key: string }>`
        INSERT INTO idempotency.keys (scope, key, request_hash, state, created_at)
        VALUES (${scope}, ${key}, ${requestHash}, 'in_progress', ${clock.now()})
        ON CONFLICT (scope, key) DO NOTHING RETURNING key`.execute(db);
      if (inserted.rows.length > 0) return { kind: 'new' };
      const row = await db.selectFrom('idempotency.keys').selectAll().where('scope', '=', scope).where('key', '=', key).executeTakeFirstOrThrow();
      if (row.request_hash !== requestHash) return { kind: 'mismatch' };
      if (row.state !== 'done') return { kind: 'in_progress' };
      return { kind: 'replay', status: row.status, contentType: row.content_type, body: row.body };
    },
    async complete(scope, key, answer) {
      await db.updateTable('idempotency.keys')
        .set({ state: 'done', status: answer.status, content_type: answer.contentType, body: answer.body })
        .where('scope', '=', scope).where('key', '=', key).execute();
    },
    async release(scope, key) {
      await db.deleteFrom('idempotency.keys').where('scope', '=', scope).where('key', '=', key).where('state', '=', 'in_progress').execute();
    },
  };
}
