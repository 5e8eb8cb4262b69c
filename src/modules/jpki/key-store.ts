// The key-store interface: where CA private keys live. Callers get usable key handles, never key bytes.
import type { webcrypto } from 'node:crypto';

/** A key pair in the store: its reference and public key. The private key stays inside. */
export interface StoredKeyPair {
  ref: string;
  publicKey: webcrypto.CryptoKey;
}

/**
 * Keeps private keys. The default (sealed-key-store.ts) keeps them sealed in the database; an HSM
 * store (PKCS#11 through a WebCrypto provider) can implement the same interface, since callers only
 * ever ask for a non-extractable signing handle.
 */
export interface KeyStore {
  /** Generates an RSA-2048 (e = 65537) key pair for RSASSA-PKCS1-v1_5 with SHA-256. */
  generateRsaKeyPair(label: string): Promise<StoredKeyPair>;
  /** A non-extractable private-key handle for signing. */
  signingKey(ref: string): Promise<webcrypto.CryptoKey>;
  /** The public key of a stored pair. */
  publicKey(ref: string): Promise<webcrypto.CryptoKey>;
}

/** The algorithm every JPKI key uses (DESIGN §7). */
export const RSA_SHA256: webcrypto.RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
};
