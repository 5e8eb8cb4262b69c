// AES-256-GCM sealing of secrets at rest (private keys, PINs), bound to a label so a sealed value cannot be moved under another one.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** A sealed value: the IV and ciphertext ‖ tag. */
export interface Sealed {
  iv: Uint8Array;
  sealed: Uint8Array;
}

/** Thrown when a sealed value does not open (wrong key, wrong label, or altered bytes). */
export class UnsealError extends Error {}

/**
 * Seals `plaintext` under a 32-byte key; `label` (e.g. the key's ref or the card's id) goes into
 * GCM's additional data.
 */
export function seal(key: Uint8Array, label: string, plaintext: Uint8Array): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(label));
  return { iv, sealed: Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]) };
}

/** Opens what `seal` produced; throws UnsealError when it does not authenticate. */
export function unseal(key: Uint8Array, label: string, value: Sealed): Buffer {
  const sealed = Buffer.from(value.sealed);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, value.iv).setAAD(Buffer.from(label));
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]);
  } catch (cause) {
    throw new UnsealError('sealed value does not authenticate', { cause });
  }
}

/** A key for one purpose derived from the platform's sealing key (HKDF-SHA256), so purposes never share a key. */
export function purposeKey(masterKey: Uint8Array, purpose: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', masterKey, new Uint8Array(0), purpose, 32));
}
