// The key that signs the card-face data on every chip (券面事項入力補助AP / 券面AP signatures): created once, kept sealed.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../../kernel/clock.ts';
import { purposeKey, seal, unseal } from '../../kernel/crypto/seal.ts';
import { apCertificateFile } from './virtual-card/kenhojo-files.ts';

/** The issuer key as the personalisation uses it. */
export interface IssuerKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  spki: Uint8Array;
  /** 16 bytes: the first half of SHA-256 of the SPKI, as AKI/SKI and key id on the chip. */
  keyId: Uint8Array;
  /** The AP certificate file (EF 0004) every chip carries: the same bytes for every card, so made once. */
  apCertificate: Uint8Array;
}

const PURPOSE = 'card-face-data';

/** Loads the issuer key, creating it on first use (concurrent first uses agree on one row). */
export async function loadIssuerKey(db: Kysely<any>, clock: Clock, sealingKey: Uint8Array): Promise<IssuerKey> {
  const key = purposeKey(sealingKey, 'card issuer keys');
  let row = await db.selectFrom('card.issuer_keys').selectAll().where('purpose', '=', PURPOSE).executeTakeFirst();
  if (!row) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
    const pkcs8 = pair.privateKey.export({ format: 'der', type: 'pkcs8' });
    const { iv, sealed } = seal(key, PURPOSE, pkcs8);
    pkcs8.fill(0);
    await db.insertInto('card.issuer_keys').values({
      purpose: PURPOSE, public_spki: pair.publicKey.export({ format: 'der', type: 'spki' }), iv, sealed, created_at: clock.now(),
    }).onConflict((oc) => oc.column('purpose').doNothing()).execute();
    row = await db.selectFrom('card.issuer_keys').selectAll().where('purpose', '=', PURPOSE).executeTakeFirstOrThrow();
  }
  const pkcs8 = unseal(key, PURPOSE, { iv: row.iv, sealed: row.sealed });
  const privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  pkcs8.fill(0);
  const spki = new Uint8Array(row.public_spki);
  const publicKey = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  const keyId = new Uint8Array(createHash('sha256').update(spki).digest().subarray(0, 16));
  // Self-issued: the platform's card-face key stands in for J-LIS's (docs/card.md).
  return { privateKey, publicKey, spki, keyId, apCertificate: apCertificateFile(publicKey, keyId, keyId, privateKey) };
}
