// Verifying a card's RSASSA-PKCS1-v1_5 / SHA-256 signature over data or over a SHA-256 digest, with node:crypto's synchronous primitives.
import { KeyObject, constants, publicDecrypt, verify } from 'node:crypto';

/**
 * DER of DigestInfo { sha256, NULL } up to the digest's OCTET STRING header (RFC 8017 §9.2, note 1).
 * The card's COMPUTE DIGITAL SIGNATURE pads exactly this followed by the 32-byte digest.
 */
const SHA256_DIGEST_INFO_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex');
const SHA256_LENGTH = 32;

/** What was signed: the data itself, or its SHA-256 digest (what a client hands the card). */
export type SignedInput = { data: Uint8Array } | { digest: Uint8Array };

function checkPublicKey(publicKey: KeyObject): void {
  if (!(publicKey instanceof KeyObject) || publicKey.type !== 'public' || publicKey.asymmetricKeyType !== 'rsa') {
    throw new TypeError('publicKey must be an RSA public KeyObject (e.g. CertificateCheck.publicKey)');
  }
}

/**
 * Whether `signature` is a valid RSASSA-PKCS1-v1_5 / SHA-256 signature by `publicKey` over the input.
 * A signature that does not verify, has the wrong length, or a digest that is not 32 bytes gives
 * `false`; only caller misuse (not an RSA public key, not byte arrays) throws a TypeError.
 * @example
 * const check = await verifyCertificate(der, { anchors, at: new Date() });
 * if (check.ok && verifySignature(check.publicKey, { data: challenge }, signature)) { ... }
 * verifySignature(check.publicKey, { digest: createHash('sha256').update(document).digest() }, signature);
 */
export function verifySignature(publicKey: KeyObject, input: SignedInput, signature: Uint8Array): boolean {
  checkPublicKey(publicKey);
  if (!(signature instanceof Uint8Array)) throw new TypeError('signature must be a Uint8Array');
  if (input !== null && typeof input === 'object' && 'digest' in input && input.digest instanceof Uint8Array) {
    return verifyDigest(publicKey, input.digest, signature);
  }
  if (input !== null && typeof input === 'object' && 'data' in input && input.data instanceof Uint8Array) {
    try {
      return verify('sha256', input.data, publicKey, signature);
    } catch {
      // OpenSSL errors (e.g. a signature longer than the modulus) mean "does not verify", not misuse.
      return false;
    }
  }
  throw new TypeError('input must be { data: Uint8Array } or { digest: Uint8Array }');
}

/**
 * Node's verify() always hashes its input, and WebCrypto has no pre-hashed mode, so a bare digest is
 * checked by recovering the signed block with the public key (OpenSSL checks the type-1 padding,
 * 00 01 FF…FF 00) and comparing it with the DigestInfo we expect. One modular exponentiation, the
 * same cost as verify() (measured within noise of each other here).
 * NOTE: only the DigestInfo with NULL parameters is accepted (RFC 8017 §9.2 lets verifiers also accept
 * it without); a client builds the canonical one for the card.
 */
function verifyDigest(publicKey: KeyObject, digest: Uint8Array, signature: Uint8Array): boolean {
  if (digest.length !== SHA256_LENGTH) return false;
  let recovered: Buffer;
  try {
    recovered = publicDecrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false;
  }
  // Public data: a constant-time comparison would buy nothing.
  return recovered.length === SHA256_DIGEST_INFO_PREFIX.length + SHA256_LENGTH
    && recovered.subarray(0, SHA256_DIGEST_INFO_PREFIX.length).equals(SHA256_DIGEST_INFO_PREFIX)
    && recovered.subarray(SHA256_DIGEST_INFO_PREFIX.length).equals(digest);
}
