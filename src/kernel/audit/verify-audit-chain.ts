// Walks the whole audit chain and reports every record that was changed or deleted.
import type { Kysely } from 'kysely';
import { auditRecordHash } from './audit-hash.ts';
import { toAuditRecord } from './audit-log.ts';

/** One break in the chain. */
export interface AuditChainProblem {
  kind: 'changed' | 'deleted';
  /** First affected sequence number. */
  seq: number;
  /** Last affected sequence number (deletions of several records). */
  toSeq?: number;
  message: string;
}

export interface AuditChainReport {
  ok: boolean;
  checked: number;
  /** Sequence number of the chain head (the last record ever appended). */
  headSeq: number;
  problems: AuditChainProblem[];
}

const PAGE = 5_000;

/**
 * Recomputes every hash in order. A changed record shows as a hash mismatch at its own seq; a
 * deleted one as a gap in the sequence (or, for the newest records, a head pointing past the end).
 *
 * @example
 * const report = await verifyAuditChain(db, (done, total) => bar.update(done));
 */
export async function verifyAuditChain(db: Kysely<any>, onProgress?: (checked: number, total: number) => void): Promise<AuditChainReport> {
  const head = await db.selectFrom('audit.chain_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  const headSeq = Number(head.seq);
  const problems: AuditChainProblem[] = [];
  let expectedSeq = 1;
  let prevHash = '0'.repeat(64);
  let checked = 0;
  let lastSeq = 0;
  let lastHash = prevHash;
  for (;;) {
    const rows = await db.selectFrom('audit.records').selectAll().where('seq', '>', lastSeq).orderBy('seq').limit(PAGE).execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      const r = toAuditRecord(row);
      if (r.seq !== expectedSeq) {
        problems.push({
          kind: 'deleted', seq: expectedSeq, toSeq: r.seq - 1,
          message: `監査記録 ${range(expectedSeq, r.seq - 1)} が削除されています / record(s) ${range(expectedSeq, r.seq - 1)} deleted`,
        });
      } else if (r.prevHash !== prevHash) {
        problems.push({ kind: 'changed', seq: r.seq, message: `監査記録 ${r.seq} の前レコードハッシュが一致しません / record ${r.seq}: previous-hash link altered` });
      }
      const recomputed = auditRecordHash(r);
      if (recomputed !== r.hash) {
        problems.push({ kind: 'changed', seq: r.seq, message: `監査記録 ${r.seq} が改ざんされています / record ${r.seq} was changed` });
      }
      // Continue from the stored hash so one change is reported once, not at every later record.
      prevHash = r.hash;
      expectedSeq = r.seq + 1;
      checked++;
      lastSeq = r.seq;
      lastHash = r.hash;
    }
    onProgress?.(checked, headSeq);
  }
  if (lastSeq < headSeq) {
    problems.push({
      kind: 'deleted', seq: lastSeq + 1, toSeq: headSeq,
      message: `監査記録 ${range(lastSeq + 1, headSeq)} が削除されています / record(s) ${range(lastSeq + 1, headSeq)} deleted`,
    });
  } else if (lastSeq === headSeq && lastHash !== head.hash) {
    problems.push({ kind: 'changed', seq: headSeq, message: `監査記録 ${headSeq} がチェーン先頭と一致しません / record ${headSeq} does not match the chain head` });
  }
  return { ok: problems.length === 0, checked, headSeq, problems };
}

function range(from: number, to: number): string {
  return from === to ? `#${from}` : `#${from}〜#${to}`;
}
