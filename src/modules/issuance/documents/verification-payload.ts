// The QR code's signed payload: a compact JWS (ES256 or EdDSA) naming the certificate and the SHA-256 of its content.
//
// Claims are short on purpose (a QR code must stay scannable at ~25 mm): sn 発行番号, lg 地方公共団体コード,
// kd kind, iat issue time (NumericDate, RFC 7519 §4.1.6), cd base64url SHA-256 of the canonical content
// (document-content.ts). The digest covers the content, not the PDF bytes: the QR code is drawn into the
// PDF before the PDF is signed, and a paper copy has no PDF bytes at all.
import { CompactSign, compactVerify, createLocalJWKSet, errors, base64url, type CompactVerifyGetKey, type CryptoKey, type JSONWebKeySet } from 'jose';
import { CERTIFICATE_KINDS, type CertificateDocument, type CertificateKind } from './certificate-document.ts';
import { contentDigest } from './document-content.ts';

/** The `typ` header (RFC 8725 §3.11): a token of this kind cannot be mistaken for another JWS of the platform. */
export const VERIFICATION_TOKEN_TYPE = 'myna-cv+jws';

/** The algorithms a verifier accepts; RSA is refused because its 256-byte signature would double the QR code. */
const ALGORITHMS = ['ES256', 'EdDSA'] as const;

/** The key a municipality signs verification payloads with (a P-256 or Ed25519 private key). */
export interface PayloadSigningKey {
  privateKey: CryptoKey;
  /** Key id, published with the public key in the municipality's JWK set. */
  kid: string;
  alg: (typeof ALGORITHMS)[number];
}

/** What a verification payload says, decoded. */
export interface VerificationPayload {
  serialNumber: string;
  lgCode: string;
  kind: CertificateKind;
  /** Issue instant, `2025-11-24T01:02:03Z`. */
  issuedAt: string;
  /** base64url SHA-256 of the canonical content. */
  contentDigest: string;
}

/** The public keys a verifier trusts: a JWK set, or a lookup by the token's header (its `kid`). */
export type PayloadKeys = JSONWebKeySet | CompactVerifyGetKey;

/**
 * Signs the verification payload of `doc`: the compact JWS the QR code carries and the PDF's
 * `/MynaVerification` Info entry repeats.
 *
 * @example
 * const token = await makeVerificationPayload(doc, { privateKey, kid: '132047-2025', alg: 'ES256' });
 * // eyJhbGciOiJFUzI1NiIsImtpZCI6IjEzMjA0Ny0yMDI1IiwidHlwIjoibXluYS1jditqd3MifQ.eyJ…  (≈ 320 characters)
 */
export async function makeVerificationPayload(doc: CertificateDocument, key: PayloadSigningKey): Promise<string> {
  if (!ALGORITHMS.includes(key.alg)) throw new TypeError(`makeVerificationPayload: alg must be one of ${ALGORITHMS.join(', ')}`);
  const claims = {
    sn: doc.serialNumber,
    lg: doc.issuer.lgCode,
    kd: doc.kind,
    iat: Math.floor(doc.issuedAt.getTime() / 1000),
    cd: base64url.encode(contentDigest(doc)),
  };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: VERIFICATION_TOKEN_TYPE })
    .sign(key.privateKey);
}

/** Why a token was not accepted. */
export type PayloadRejection = 'untrusted-key' | 'bad-signature' | 'malformed';

/**
 * Checks a token's signature against trusted keys and decodes it.
 *
 * @example
 * const read = await readVerificationPayload(token, { keys: [publicJwk] });
 * if (read.ok) console.log(read.payload.serialNumber);
 */
export async function readVerificationPayload(token: string, keys: PayloadKeys):
  Promise<{ ok: true; payload: VerificationPayload; kid: string | undefined } | { ok: false; reason: PayloadRejection; detail: string }> {
  const getKey = typeof keys === 'function' ? keys : createLocalJWKSet(keys);
  let verified: Awaited<ReturnType<typeof compactVerify>>;
  try {
    verified = await compactVerify(token, getKey, { algorithms: [...ALGORITHMS] });
  } catch (error) {
    if (error instanceof errors.JWKSNoMatchingKey) return { ok: false, reason: 'untrusted-key', detail: 'no trusted key matches the token' };
    if (error instanceof errors.JWSSignatureVerificationFailed) return { ok: false, reason: 'bad-signature', detail: 'the token signature does not verify' };
    return { ok: false, reason: 'malformed', detail: error instanceof Error ? error.message : String(error) };
  }
  if (verified.protectedHeader.typ !== VERIFICATION_TOKEN_TYPE) return { ok: false, reason: 'malformed', detail: `typ is not ${VERIFICATION_TOKEN_TYPE}` };
  const payload = decodeClaims(verified.payload);
  return payload ? { ok: true, payload, kid: verified.protectedHeader.kid } : { ok: false, reason: 'malformed', detail: 'the token claims are incomplete' };
}

function decodeClaims(bytes: Uint8Array): VerificationPayload | undefined {
  let claims: unknown;
  try {
    claims = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
  if (typeof claims !== 'object' || claims === null) return undefined;
  const c = claims as Record<string, unknown>;
  if (typeof c['sn'] !== 'string' || typeof c['lg'] !== 'string' || typeof c['cd'] !== 'string') return undefined;
  if (typeof c['iat'] !== 'number' || !Number.isSafeInteger(c['iat'])) return undefined;
  if (!CERTIFICATE_KINDS.includes(c['kd'] as CertificateKind)) return undefined;
  return {
    serialNumber: c['sn'],
    lgCode: c['lg'],
    kind: c['kd'] as CertificateKind,
    issuedAt: `${new Date(c['iat'] * 1000).toISOString().slice(0, 19)}Z`,
    contentDigest: c['cd'],
  };
}
