// Revocation (失効), suspension (一時停止, certificateHold) and its release, and the revocations a registry change causes.
import type { Kysely } from 'kysely';
import type { JpkiDeps } from './config.ts';
import type { CertificateRecord, CertificateRef, ResidentChangeNotice, RevocationReason } from './contract.ts';
import { findCertificate, selectCertificates, toCertificateRecord } from './certificate-records.ts';
import { REVOCATION_REASONS } from './revocation-reason.ts';
import { jpkiError } from './errors.ts';

/** One status change: revoke (with a reason), hold, or release. */
export type StatusChange = { action: 'revoke'; reason: Exclude<RevocationReason, 'certificateHold'> } | { action: 'hold' } | { action: 'release' };

/**
 * Applies a status change to a locked certificate inside `tx`, with its event row and audit record.
 * Throws the JPKI_CERTIFICATE_* conflict codes when the change does not apply to the current status.
 */
export async function recordStatusChange(deps: JpkiDeps, tx: Kysely<any>, certificate: CertificateRecord, change: StatusChange, source: string): Promise<CertificateRecord> {
  if (certificate.status === 'revoked') throw jpkiError('JPKI_CERTIFICATE_ALREADY_REVOKED', { detail: `reason: ${certificate.revocationReason}` });
  if (change.action === 'hold' && certificate.status === 'hold') throw jpkiError('JPKI_CERTIFICATE_ALREADY_ON_HOLD');
  if (change.action === 'release' && certificate.status !== 'hold') throw jpkiError('JPKI_CERTIFICATE_NOT_ON_HOLD');
  const now = deps.clock.now();
  const next = change.action === 'revoke'
    ? { status: 'revoked', status_changed_at: now, revocation_reason: change.reason }
    : change.action === 'hold'
      ? { status: 'hold', status_changed_at: now, revocation_reason: null }
      : { status: 'good', status_changed_at: null, revocation_reason: null };
  await tx.updateTable('jpki.certificates').set(next).where('id', '=', certificate.id).execute();
  const reason = change.action === 'revoke' ? change.reason : change.action === 'hold' ? 'certificateHold' : null;
  await tx.insertInto('jpki.revocation_events').values({ certificate_id: certificate.id, action: change.action, reason, occurred_at: now, source }).execute();
  const holder = await tx.selectFrom('jpki.holders').select('resident_code').where('id', '=', certificate.holderId).executeTakeFirstOrThrow();
  await deps.audit.recordIn(tx, {
    actor: { kind: 'organisation', id: 'jpki', name: source }, lgCode: certificate.lgCode, action: `jpki.certificate.${change.action}`,
    subject: { kind: 'resident', ref: holder.resident_code },
    detail: { kind: certificate.kind, serialHex: certificate.serialHex, reason },
  });
  const updated = await findCertificate(tx, { id: certificate.id });
  for (const listener of deps.statusChangeListeners ?? []) await listener(tx, updated);
  return updated;
}

async function change(deps: JpkiDeps, ref: CertificateRef, statusChange: StatusChange, source: string): Promise<CertificateRecord> {
  if (typeof source !== 'string' || source.trim().length === 0 || source.length > 200) throw jpkiError('JPKI_REQUEST_INVALID', { detail: 'source (依頼元) は1〜200文字です' });
  return deps.database.db.transaction().execute(async (tx) => {
    const certificate = await findCertificate(tx, ref, true);
    return recordStatusChange(deps, tx, certificate, statusChange, source);
  });
}

/** See JpkiService.revokeCertificate. */
export function revokeCertificate(deps: JpkiDeps, ref: CertificateRef, reason: Exclude<RevocationReason, 'certificateHold'>, source: string): Promise<CertificateRecord> {
  if (!REVOCATION_REASONS.includes(reason) || reason === ('certificateHold' as string)) {
    return Promise.reject(jpkiError('JPKI_REQUEST_INVALID', { detail: `失効理由 ${String(reason)} は使えません（一時停止は hold）` }));
  }
  return change(deps, ref, { action: 'revoke', reason }, source);
}

export function holdCertificate(deps: JpkiDeps, ref: CertificateRef, source: string): Promise<CertificateRecord> {
  return change(deps, ref, { action: 'hold' }, source);
}

export function releaseHold(deps: JpkiDeps, ref: CertificateRef, source: string): Promise<CertificateRecord> {
  return change(deps, ref, { action: 'release' }, source);
}

/**
 * The registry's change notices (住基ネット → J-LIS). A change of the 4 basic attributes revokes the
 * signing certificates (affiliationChanged); the user-authentication certificate carries none of
 * them and stays valid. A death revokes both (cessationOfOperation). A new individual number changes
 * nothing in a certificate. Certificates already revoked or past their validity are left as they are,
 * so a notice delivered twice revokes nothing twice.
 */
export async function applyResidentChange(deps: JpkiDeps, notice: ResidentChangeNotice): Promise<CertificateRecord[]> {
  const kinds = notice.topic === 'resident.basic-attributes-changed' ? ['sign'] : notice.topic === 'resident.died' ? ['sign', 'auth'] : [];
  if (kinds.length === 0) return [];
  const reason = notice.topic === 'resident.died' ? 'cessationOfOperation' : 'affiliationChanged';
  const source = `住基ネット異動通知 ${notice.topic}`;
  return deps.database.db.transaction().execute(async (tx) => {
    const rows = await selectCertificates(tx)
      .innerJoin('jpki.holders as h', 'h.id', 'c.holder_id')
      .where('h.resident_code', '=', notice.residentCode).where('c.kind', 'in', kinds).where('c.status', '<>', 'revoked')
      .where('c.not_after', '>', deps.clock.now()).forUpdate('c').execute();
    const revoked: CertificateRecord[] = [];
    for (const row of rows) revoked.push(await recordStatusChange(deps, tx, toCertificateRecord(row), { action: 'revoke', reason }, source));
    return revoked;
  });
}
