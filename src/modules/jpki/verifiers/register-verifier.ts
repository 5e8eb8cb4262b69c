// Registering a verifier (署名検証者, 利用者証明検証者, or a platform operator acting for service providers) and issuing its credential.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { JpkiDeps } from '../config.ts';
import type { VerifierKind, VerifierRecord } from '../contract.ts';
import { jpkiError } from '../errors.ts';

export const VERIFIER_KINDS: readonly VerifierKind[] = ['signature', 'user_authentication', 'platform_operator'];

/** The credential's prefix makes a leaked one recognisable to secret scanners. */
const CREDENTIAL_PREFIX = 'jpkiv_';

/** SHA-256 of a credential: what is stored and looked up. A 256-bit random secret needs no slow hash. */
export function credentialHash(credential: string): Buffer {
  return createHash('sha256').update(credential, 'utf8').digest();
}

export function toVerifierRecord(row: Record<string, any>): VerifierRecord {
  return { id: row.id, name: row.name, kind: row.kind, webhookUrl: row.webhook_url, active: row.active, createdAt: new Date(row.created_at) };
}

/** Checks a webhook URL: https (http only to loopback), no credentials in it. */
export function checkWebhookUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw jpkiError('JPKI_REQUEST_INVALID', { detail: 'webhookUrl は URL ではありません' });
  }
  // Plain http only to this machine (development receivers); anything else must be https, so that
  // revocation notices do not travel in clear and JPKI is not used to probe internal http services.
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
  if (!(parsed.protocol === 'https:' || (parsed.protocol === 'http:' && loopback)) || parsed.username || parsed.password) {
    throw jpkiError('JPKI_REQUEST_INVALID', { detail: 'webhookUrl は認証情報を含まない https の URL です（http はこの計算機宛てのみ）' });
  }
  return parsed.toString();
}

/**
 * Registers a verifier. The credential is returned once and only its hash is kept: a lost
 * credential is replaced by registering again, not recovered.
 */
export async function registerVerifier(deps: JpkiDeps, input: { name: string; kind: VerifierKind; webhookUrl?: string }): Promise<{ verifier: VerifierRecord; credential: string }> {
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name.length === 0 || name.length > 200) throw jpkiError('JPKI_REQUEST_INVALID', { detail: '検証者名は1〜200文字です' });
  if (!VERIFIER_KINDS.includes(input.kind)) throw jpkiError('JPKI_REQUEST_INVALID', { detail: `種別は ${VERIFIER_KINDS.join(' / ')} のいずれかです` });
  const webhookUrl = input.webhookUrl === undefined ? null : checkWebhookUrl(input.webhookUrl);
  const credential = `${CREDENTIAL_PREFIX}${randomBytes(32).toString('base64url')}`;
  const id = randomUUID();
  await deps.database.db.transaction().execute(async (tx) => {
    await tx.insertInto('jpki.verifiers').values({
      id, name, kind: input.kind, credential_hash: credentialHash(credential), user_id_salt: randomBytes(32),
      webhook_url: webhookUrl, active: true, created_at: deps.clock.now(),
    }).execute();
    await deps.audit.recordIn(tx, { actor: { kind: 'system', id: 'jpki', name: 'jpki' }, action: 'jpki.verifier.register', detail: { verifierId: id, name, kind: input.kind } });
  });
  const row = await deps.database.db.selectFrom('jpki.verifiers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return { verifier: toVerifierRecord(row), credential };
}
