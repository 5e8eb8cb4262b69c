// The append-only, hash-chained audit log: who did what to whose data, and why.
import { sql, type Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import { auditRecordHash } from './audit-hash.ts';

/** Who acted: municipal staff, another organisation, the platform itself, or the person. */
export type ActorKind = 'staff' | 'organisation' | 'system' | 'resident';

/** One thing to record. */
export interface AuditEntry {
  actor: { kind: ActorKind; id: string; name: string };
  /** Municipality whose data was touched, if any. */
  lgCode?: string | null;
  /** Dotted verb, e.g. `registry.resident.read`. */
  action: string;
  /** Whose data: `{ kind: 'resident', ref: <住民票コード> }`, so the person can find it later. */
  subject?: { kind: string; ref: string } | null;
  /** Why (利用目的), required for reads of a person's data. */
  purpose?: string | null;
  /** Extra facts; never an individual number, PIN or key. */
  detail?: Record<string, unknown>;
}

/** A stored audit record. */
export interface AuditRecord {
  seq: number;
  recordedAt: Date;
  actorKind: string;
  actorId: string;
  actorName: string;
  lgCode: string | null;
  action: string;
  subjectKind: string | null;
  subjectRef: string | null;
  purpose: string | null;
  detail: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** Writer and reader of the audit log. */
export interface AuditLog {
  /**
   * Appends entries in their own transaction; resolves once they are committed. Calls made while
   * another append is committing are committed together in the next transaction (group commit).
   */
  record(...entries: AuditEntry[]): Promise<void>;
  /**
   * Appends entries inside the caller's transaction, so they commit or roll back with the change
   * they describe. `tx` must be a transaction (the chain head is locked until it ends).
   */
  recordIn(tx: Kysely<any>, ...entries: AuditEntry[]): Promise<void>;
  /** Records about one subject, newest first (what the person sees in the portal). */
  listForSubject(kind: string, ref: string, limit?: number): Promise<AuditRecord[]>;
}

/**
 * @example
 * const audit = createAuditLog(db, systemClock);
 * await audit.record({ actor: { kind: 'staff', id: 'k1', name: '窓口 一郎' }, action: 'registry.resident.read',
 *   subject: { kind: 'resident', ref: code }, purpose: '住民票の写しの交付' });
 */
export function createAuditLog(db: Kysely<any>, clock: Clock): AuditLog {
  const recordIn = async (tx: Kysely<any>, ...entries: AuditEntry[]) => {
    if (entries.length === 0) return;
    const head = await sql<{ seq: number; hash: string }>`SELECT seq, hash FROM audit.chain_head WHERE id = 1 FOR UPDATE`.execute(tx);
    let { seq, hash } = head.rows[0]!;
    const rows = [];
    for (const entry of entries) {
      seq += 1;
      const fields = {
        seq,
        recordedAt: clock.now(),
        actorKind: entry.actor.kind,
        actorId: entry.actor.id,
        actorName: entry.actor.name,
        lgCode: entry.lgCode ?? null,
        action: entry.action,
        subjectKind: entry.subject?.kind ?? null,
        subjectRef: entry.subject?.ref ?? null,
        purpose: entry.purpose ?? null,
        detail: entry.detail ?? {},
        prevHash: hash,
      };
      hash = auditRecordHash(fields);
      rows.push({
        seq, recorded_at: fields.recordedAt, actor_kind: fields.actorKind, actor_id: fields.actorId,
        actor_name: fields.actorName, lg_code: fields.lgCode, action: fields.action, subject_kind: fields.subjectKind,
        subject_ref: fields.subjectRef, purpose: fields.purpose, detail: JSON.stringify(fields.detail),
        prev_hash: fields.prevHash, hash,
      });
    }
    await tx.insertInto('audit.records').values(rows).execute();
    await tx.updateTable('audit.chain_head').set({ seq, hash }).where('id', '=', 1).execute();
  };
  const commitOne = (entries: AuditEntry[]) => db.transaction().execute((tx) => recordIn(tx, ...entries));
  // Group commit: every append locks the one chain head, so appends are serial by nature. While one
  // transaction commits, later callers queue; the next transaction takes the whole queue. Under load
  // (each kiosk order reads several residents, each read recorded) this turns N lock-holding round
  // trips into one, and costs nothing when idle: a lone call commits at once.
  let queue: { entries: AuditEntry[]; resolve(): void; reject(error: unknown): void }[] = [];
  let draining = false;
  const drain = async () => {
    draining = true;
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        await commitOne(batch.flatMap((b) => b.entries));
        for (const b of batch) b.resolve();
      } catch (error) {
        if (batch.length === 1) { batch[0]!.reject(error); continue; }
        // One caller's bad entry must not fail the others: commit each caller on its own.
        for (const b of batch) await commitOne(b.entries).then(b.resolve, b.reject);
      }
    }
    draining = false;
  };
  return {
    recordIn,
    record(...entries) {
      if (entries.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        queue.push({ entries, resolve, reject });
        if (!draining) void drain();
      });
    },
    async listForSubject(kind, ref, limit = 100) {
      const rows = await db.selectFrom('audit.records').selectAll()
        .where('subject_kind', '=', kind).where('subject_ref', '=', ref)
        .orderBy('seq', 'desc').limit(limit).execute();
      return rows.map(toAuditRecord);
    },
  };
}

/** Row (snake_case) to record. */
export function toAuditRecord(row: Record<string, any>): AuditRecord {
  return {
    seq: Number(row.seq),
    recordedAt: new Date(row.recorded_at),
    actorKind: row.actor_kind,
    actorId: row.actor_id,
    actorName: row.actor_name,
    lgCode: row.lg_code,
    action: row.action,
    subjectKind: row.subject_kind,
    subjectRef: row.subject_ref,
    purpose: row.purpose,
    detail: typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
