// Signing webhook bodies with a JPKI key (RS256 JWS, detached payload), the public JWKS, and the check a receiver runs.
import { CompactSign, base64url, calculateJwkThumbprint, compactVerify, createLocalJWKSet, errors, exportJWK, type JWK } from 'jose';
import type { JpkiDeps } from '../config.ts';
import type { KeyStore } from '../key-store.ts';
import { jpkiError } from '../errors.ts';

/** The jpki.sealed_keys label of the webhook signing key(s). */
export const WEBHOOK_SIGNER_LABEL = 'JPKI webhook signer';
/** Header carrying the detached JWS over the body: `<protected header>..<signature>` (RFC 7515 Appendix F). */
export const WEBHOOK_SIGNATURE_HEADER = 'X-JPKI-Signature';
/** Header carrying the delivery ID (also in the signed body, which is what a receiver should trust). */
export const WEBHOOK_DELIVERY_HEADER = 'X-JPKI-Delivery';

type SignerDeps = Pick<JpkiDeps, 'database' | 'keyStore'>;

/** The key that signs, ready to use. */
export interface WebhookSigningKey {
  /** RFC 7638 thumbprint of the public key, as in the JWKS and the JWS header. */
  kid: string;
  /** The detached compact JWS over exactly `body`. */
  sign(body: Uint8Array): Promise<string>;
}

/** Key generation in flight, per key store: concurrent first uses in one process share one key. */
const generating = new WeakMap<KeyStore, Promise<unknown>>();

/**
 * The refs of every webhook signing key, newest first; creates the first one on first use.
 *
 * There is no table naming "the" webhook key: it is whichever jpki.sealed_keys rows carry
 * WEBHOOK_SIGNER_LABEL. Within one process, concurrent first uses share one generation (above). Two
 * processes starting at once may each create one; that is harmless, because the JWKS publishes every
 * key with the label and signing always takes the newest, so every signature verifies. The same rule
 * gives key rollover: generate a key with the label, and it signs from then on while the old one stays
 * published. NOTE: this reads jpki.sealed_keys, so it works with the sealed key store only; a key store
 * keeping keys elsewhere (HSM) would need the ref kept in a table of its own.
 */
async function signerRefs(deps: SignerDeps): Promise<string[]> {
  const read = async () => (await deps.database.db.selectFrom('jpki.sealed_keys').select('ref')
    .where('label', '=', WEBHOOK_SIGNER_LABEL).orderBy('created_at', 'desc').orderBy('ref', 'desc').execute()).map((row) => row.ref as string);
  const existing = await read();
  if (existing.length > 0) return existing;
  let pending = generating.get(deps.keyStore);
  if (!pending) {
    pending = deps.keyStore.generateRsaKeyPair(WEBHOOK_SIGNER_LABEL).finally(() => generating.delete(deps.keyStore));
    generating.set(deps.keyStore, pending);
  }
  await pending;
  const created = await read();
  if (created.length === 0) throw jpkiError('JPKI_KEY_NOT_FOUND', { detail: `the key store did not record a key labelled ${WEBHOOK_SIGNER_LABEL} in jpki.sealed_keys` });
  return created;
}

async function publicJwk(deps: SignerDeps, ref: string): Promise<JWK> {
  const { kty, n, e } = await exportJWK(await deps.keyStore.publicKey(ref));
  const jwk: JWK = { kty, n, e };
  return { ...jwk, kid: await calculateJwkThumbprint(jwk, 'sha256'), alg: 'RS256', use: 'sig' };
}

/**
 * The current signing key (the newest with the label). Unseals the private key: call it once per
 * batch, not per delivery.
 */
export async function webhookSigningKey(deps: SignerDeps): Promise<WebhookSigningKey> {
  const [ref] = await signerRefs(deps);
  const { kid } = await publicJwk(deps, ref!);
  const key = await deps.keyStore.signingKey(ref!);
  return {
    kid: kid!,
    async sign(body) {
      const jws = await new CompactSign(body).setProtectedHeader({ alg: 'RS256', kid }).sign(key);
      const [header, , signature] = jws.split('.');
      return `${header}..${signature}`;
    },
  };
}

/**
 * The public keys webhooks are signed with, as a JWKS (RFC 7517) for GET /jpki/webhooks/jwks.json.
 * Creates the first key if there is none yet, so verifiers can fetch it before the first webhook.
 *
 * @example
 * app.get('/webhooks/jwks.json', async () => webhookPublicJwks(deps));
 */
export async function webhookPublicJwks(deps: SignerDeps): Promise<{ keys: JWK[] }> {
  const refs = await signerRefs(deps);
  return { keys: await Promise.all(refs.map((ref) => publicJwk(deps, ref))) };
}

/**
 * For receivers: true when `signatureHeader` (the X-JPKI-Signature value) is a valid RS256 signature
 * by a key of `jwks` (fetched from /jpki/webhooks/jwks.json) over exactly `body`, the raw request bytes
 * before any JSON parsing. False for anything else: malformed header, unknown kid, other algorithm,
 * changed body. Throws TypeError only for caller misuse (body not bytes, jwks not a key set).
 *
 * After a true, take the delivery ID from the body (it is signed; the X-JPKI-Delivery header is not),
 * drop IDs already seen, and look up `certificateId` among the IDs you were given: a webhook forwarded
 * from another verifier names a certificate ID you do not have.
 *
 * @example
 * if (!(await verifyWebhookSignature(rawBody, request.headers['x-jpki-signature'], jwks))) return reply.code(401).send();
 */
export async function verifyWebhookSignature(body: Uint8Array, signatureHeader: string | undefined, jwks: { keys: JWK[] }): Promise<boolean> {
  if (!(body instanceof Uint8Array)) throw new TypeError('body must be the raw request body as bytes (Uint8Array or Buffer)');
  if (typeof jwks !== 'object' || jwks === null || !Array.isArray(jwks.keys)) throw new TypeError('jwks must be a JSON Web Key Set ({ keys: [...] })');
  if (typeof signatureHeader !== 'string') return false;
  const parts = signatureHeader.trim().split('.');
  // Detached content (RFC 7515 Appendix F): the payload part is empty and the body is put back in.
  if (parts.length !== 3 || parts[1] !== '') return false;
  try {
    await compactVerify(`${parts[0]}.${base64url.encode(body)}.${parts[2]}`, createLocalJWKSet(jwks), { algorithms: ['RS256'] });
    return true;
  } catch (error) {
    if (error instanceof errors.JOSEError) return false;
    throw error;
  }
}
