// The hash that chains audit records: SHA-256 over a canonical encoding of the record and its predecessor's hash.
import { createHash } from 'node:crypto';

/** The fields of an audit record that the hash covers (all of them but the hash itself). */
export interface HashedAuditFields {
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
  detail: unknown;
  prevHash: string;
}

/** JSON with object keys sorted at every level, so jsonb's reordering does not change the hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** The record's hash, hex. */
export function auditRecordHash(r: HashedAuditFields): string {
  const body = canonicalJson([
    r.seq, r.recordedAt.toISOString(), r.actorKind, r.actorId, r.actorName, r.lgCode,
    r.action, r.subjectKind, r.subjectRef, r.purpose, r.detail ?? {}, r.prevHash,
  ]);
  return createHash('sha256').update(body).digest('hex');
}
