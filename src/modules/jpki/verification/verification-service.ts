// The verification API for relying parties: verify a signature with a certificate, store it, 現況確認 (change detection), per-verifier user IDs.
import { createHmac, randomUUID } from 'node:crypto';
import type { JpkiDeps } from '../config.ts';
import type { BasicAttributes, CaKind, StoredCertificateStatus, VerificationRequest, VerificationResult, VerifierRecord } from '../contract.ts';
import { caGenerations } from '../ca-generations.ts';
import { readBasicAttributes } from '../certificate-profiles.ts';
import { isUuid } from '../../../kernel/ids/uuid.ts';
import { jpkiError } from '../errors.ts';
import { prepareAnchors, verifyCertificate, type PreparedAnchors, type RevocationStatus } from './verify-certificate.ts';
import { verifySignature } from './verify-signature.ts';

/** A rollover shows up in verification within this time. */
const ANCHORS_TTL_MS = 60_000;

/**
 * The user ID a verifier sees: HMAC of JPKI's holder id under the verifier's own salt. It survives
 * renewal (the holder stays the same) and cannot be linked across verifiers (different salts).
 */
function userId(salt: Uint8Array, holderId: string): string {
  return createHmac('sha256', salt).update(holderId).digest('base64url').slice(0, 32);
}

export interface VerificationService {
  verify(verifier: VerifierRecord, request: VerificationRequest): Promise<VerificationResult>;
  storedCertificateStatus(verifier: VerifierRecord, certificateId: string): Promise<StoredCertificateStatus>;
  setSubscription(verifier: VerifierRecord, certificateId: string, subscribed: boolean): Promise<void>;
}

export function createVerificationService(deps: JpkiDeps): VerificationService {
  const db = deps.database.db;
  let anchors: { prepared: PreparedAnchors; ids: Map<string, string>; until: number } | undefined;

  async function currentAnchors(): Promise<{ prepared: PreparedAnchors; ids: Map<string, string> }> {
    if (anchors && anchors.until > Date.now()) return anchors;
    const all = [...await caGenerations(deps, 'sign'), ...await caGenerations(deps, 'auth')];
    if (all.length === 0) throw jpkiError('JPKI_CA_NOT_INITIALISED');
    anchors = {
      prepared: prepareAnchors(all.map((ca) => ({ kind: ca.kind, generation: ca.generation, certificate: ca.certificate }))),
      ids: new Map(all.map((ca) => [`${ca.kind}/${ca.generation}`, ca.id])),
      until: Date.now() + ANCHORS_TTL_MS,
    };
    return anchors;
  }

  // A verifier's salt never changes, so it is read once per process, not once per verification.
  const salts = new Map<string, Uint8Array>();
  async function salt(verifier: VerifierRecord): Promise<Uint8Array> {
    let found = salts.get(verifier.id);
    if (!found) {
      const row = await db.selectFrom('jpki.verifiers').select('user_id_salt').where('id', '=', verifier.id).executeTakeFirstOrThrow();
      salts.set(verifier.id, found = new Uint8Array(row.user_id_salt));
    }
    return found;
  }

  async function stored(verifier: VerifierRecord, certificateId: string) {
    if (!isUuid(certificateId)) throw jpkiError('JPKI_CERTIFICATE_NOT_FOUND');
    const row = await db.selectFrom('jpki.stored_certificates as s').innerJoin('jpki.certificates as c', 'c.id', 's.certificate_id')
      .select(['s.id', 's.certificate_id', 'c.kind', 'c.serial_hex', 'c.status', 'c.revocation_reason', 'c.status_changed_at', 'c.not_after', 'c.holder_id', 'c.lg_code'])
      .where('s.id', '=', certificateId).where('s.verifier_id', '=', verifier.id).executeTakeFirst();
    // Another verifier's certificate ID is as unknown as a made-up one.
    if (!row) throw jpkiError('JPKI_CERTIFICATE_NOT_FOUND');
    return row;
  }

  async function audit(verifier: VerifierRecord, holderId: string, lgCode: string, action: string, detail: Record<string, unknown>): Promise<void> {
    const holder = await db.selectFrom('jpki.holders').select('resident_code').where('id', '=', holderId).executeTakeFirstOrThrow();
    await deps.audit.record({
      actor: { kind: 'organisation', id: verifier.id, name: verifier.name }, lgCode, action,
      subject: { kind: 'resident', ref: holder.resident_code }, purpose: '電子証明書の有効性確認（公的個人認証）', detail,
    });
  }

  return {
    async verify(verifier, request) {
      const { prepared, ids } = await currentAnchors();
      let record: { id: string; holder_id: string; lg_code: string } | undefined;
      const revocation = async (anchor: { kind: CaKind; generation: number }, serialHex: string): Promise<RevocationStatus> => {
        const row = await db.selectFrom('jpki.certificates').select(['id', 'holder_id', 'lg_code', 'status', 'status_changed_at', 'revocation_reason'])
          .where('serial_hex', '=', serialHex).where('ca_generation_id', '=', ids.get(`${anchor.kind}/${anchor.generation}`) ?? '00000000-0000-0000-0000-000000000000')
          .executeTakeFirst();
        if (!row) return { status: 'unknown' };
        record = row;
        if (row.status === 'good') return { status: 'good' };
        if (row.status === 'hold') return { status: 'hold', revokedAt: new Date(row.status_changed_at) };
        return { status: 'revoked', reason: row.revocation_reason, revokedAt: new Date(row.status_changed_at) };
      };
      const check = await verifyCertificate(request.certificate, {
        anchors: prepared, at: deps.clock.now(), revocation, ...(request.expectedKind ? { expectedKind: request.expectedKind } : {}),
      });
      if (!check.ok) return { valid: false, failure: check.failure, detail: check.detail };
      const signed = 'data' in request ? { data: request.data } : { digest: request.digest };
      if (!verifySignature(check.publicKey, signed, request.signature)) {
        return { valid: false, failure: 'JPKI_SIGNATURE_INVALID', detail: '署名がこのデータと証明書に対応しません / the signature does not match the data and certificate' };
      }
      const certificate = record!;
      let certificateId: string | undefined;
      if (request.store) {
        await db.insertInto('jpki.stored_certificates').values({ id: randomUUID(), verifier_id: verifier.id, certificate_id: certificate.id, subscribed: false, stored_at: deps.clock.now() })
          .onConflict((oc) => oc.columns(['verifier_id', 'certificate_id']).doNothing()).execute();
        certificateId = (await db.selectFrom('jpki.stored_certificates').select('id').where('verifier_id', '=', verifier.id).where('certificate_id', '=', certificate.id).executeTakeFirstOrThrow()).id;
      }
      let attributes: BasicAttributes | undefined;
      if (check.kind === 'sign') attributes = readBasicAttributes(request.certificate);
      await audit(verifier, certificate.holder_id, certificate.lg_code, 'jpki.certificate.verify', { kind: check.kind, serialHex: check.serialHex, stored: certificateId !== undefined });
      return {
        valid: true, kind: check.kind, serialHex: check.serialHex, notAfter: check.notAfter,
        userId: userId(await salt(verifier), certificate.holder_id),
        ...(attributes ? { attributes } : {}), ...(certificateId ? { certificateId } : {}),
      };
    },

    async storedCertificateStatus(verifier, certificateId) {
      const row = await stored(verifier, certificateId);
      const now = deps.clock.now();
      await audit(verifier, row.holder_id, row.lg_code, 'jpki.certificate.status-check', { kind: row.kind, serialHex: row.serial_hex });
      const base = { certificateId, kind: row.kind as CaKind, serialHex: row.serial_hex, userId: userId(await salt(verifier), row.holder_id) };
      if (row.status === 'revoked') {
        const changed = row.revocation_reason === 'affiliationChanged';
        return {
          ...base, result: changed ? 'changed' : 'revoked', reason: row.revocation_reason, since: new Date(row.status_changed_at),
          message: changed ? '基本4情報（氏名・住所・生年月日・性別）に変更がありました。ご本人に最新の情報の提供を求めてください。' : '電子証明書は失効しています。',
        };
      }
      if (row.status === 'hold') return { ...base, result: 'suspended', reason: 'certificateHold', since: new Date(row.status_changed_at), message: '電子証明書は一時停止中です。' };
      if (new Date(row.not_after).getTime() < now.getTime()) return { ...base, result: 'expired', since: new Date(row.not_after), message: '電子証明書の有効期間が満了しています。' };
      return { ...base, result: 'unchanged', message: '変更はありません。' };
    },

    async setSubscription(verifier, certificateId, subscribed) {
      const row = await stored(verifier, certificateId);
      await db.updateTable('jpki.stored_certificates').set({ subscribed }).where('id', '=', row.id).execute();
    },
  };
}
