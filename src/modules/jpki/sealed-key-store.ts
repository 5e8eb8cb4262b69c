// The default key store: private keys sealed with AES-256-GCM in jpki.sealed_keys, under a key kept outside the database.
import { randomUUID, webcrypto } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../../kernel/clock.ts';
import { seal, unseal } from '../../kernel/crypto/seal.ts';
import { RSA_SHA256, type KeyStore, type StoredKeyPair } from './key-store.ts';
import { jpkiError } from './errors.ts';

const { subtle } = webcrypto;
const IMPORT_PARAMS = { name: RSA_SHA256.name, hash: 'SHA-256' };

/**
 * Seals PKCS#8 with AES-256-GCM; the sealing key comes from configuration
 * (MYNA_JPKI_KEYSTORE_KEY) or a key file, never from the database, so a copy of the database
 * alone does not yield a CA key. The key ref is bound into the seal (GCM additional data), so a
 * sealed key cannot be swapped under another ref.
 *
 * @example
 * const store = createSealedKeyStore(db, clock, sealingKey);
 * const { ref } = await store.generateRsaKeyPair('auth CA 2026');
 */
export function createSealedKeyStore(db: Kysely<any>, clock: Clock, sealingKey: Uint8Array): KeyStore {
  if (sealingKey.length !== 32) throw new TypeError('the key-store sealing key must be 32 bytes');
  const key = Buffer.from(sealingKey);

  async function row(ref: string) {
    const found = await db.selectFrom('jpki.sealed_keys').selectAll().where('ref', '=', ref).executeTakeFirst();
    if (!found) throw jpkiError('JPKI_KEY_NOT_FOUND', { detail: `ref ${ref}` });
    return found as { ref: string; public_spki: Uint8Array; iv: Uint8Array; sealed: Uint8Array };
  }

  return {
    async generateRsaKeyPair(label) {
      const pair = await subtle.generateKey(RSA_SHA256, true, ['sign', 'verify']) as webcrypto.CryptoKeyPair;
      const pkcs8 = Buffer.from(await subtle.exportKey('pkcs8', pair.privateKey));
      const spki = Buffer.from(await subtle.exportKey('spki', pair.publicKey));
      const ref = randomUUID();
      const { iv, sealed } = seal(key, ref, pkcs8);
      pkcs8.fill(0);
      await db.insertInto('jpki.sealed_keys').values({
        ref, label, algorithm: 'RSA-2048/SHA-256', public_spki: spki, iv, sealed, created_at: clock.now(),
      }).execute();
      const result: StoredKeyPair = { ref, publicKey: pair.publicKey };
      return result;
    },
    async signingKey(ref) {
      const r = await row(ref);
      let pkcs8: Buffer;
      try {
        pkcs8 = unseal(key, ref, { iv: r.iv, sealed: r.sealed });
      } catch (cause) {
        throw jpkiError('JPKI_KEY_UNSEALING_FAILED', { cause });
      }
      try {
        return await subtle.importKey('pkcs8', pkcs8, IMPORT_PARAMS, false, ['sign']);
      } finally {
        pkcs8.fill(0);
      }
    },
    async publicKey(ref) {
      const r = await row(ref);
      return subtle.importKey('spki', Buffer.from(r.public_spki), IMPORT_PARAMS, true, ['verify']);
    },
  };
}
