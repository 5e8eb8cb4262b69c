// JPKI test fixtures: card-like key pairs and residents with issued certificates.
import { webcrypto } from 'node:crypto';
import type { ResidentRecord, NewPersonInput } from '../../src/modules/registry/index.ts';
import type { CertificateRecord } from '../../src/modules/jpki/index.ts';
import { certificateRequestFor } from '../../src/modules/card/index.ts';
import type { TestPlatform } from './test-platform.ts';

/** A key pair as the card would generate it (RSA-2048, e = 65537), with its DER SPKI. */
export async function cardKeyPair(): Promise<{ keys: webcrypto.CryptoKeyPair; spki: Uint8Array }> {
  const keys = await webcrypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify'],
  ) as webcrypto.CryptoKeyPair;
  return { keys, spki: new Uint8Array(await webcrypto.subtle.exportKey('spki', keys.publicKey)) };
}

let householdNo = 0;

/** A new resident of 三鷹市 (head of a new household). */
export async function newResident(t: TestPlatform, person: Partial<NewPersonInput> = {}): Promise<ResidentRecord> {
  const n = ++householdNo;
  return t.registry.recordMoveIn(t.staff, {
    person: {
      relationship: '世帯主', familyName: '鷹野', givenName: `一郎${n}`, familyNameKana: 'タカノ', givenNameKana: 'イチロウ',
      birthDate: '1985-06-15', sex: 'male', honseki: '東京都三鷹市野崎一丁目1番地', hittosha: '鷹野一郎',
      nationality: null, residenceStatus: null, residenceExpiry: null, residenceCardNumber: null, aliasName: null, ...person,
    },
    relationship: '世帯主', occurredOn: '2020-04-01',
    target: { newHousehold: { address: `東京都三鷹市野崎一丁目${n}番1号`, postalCode: '1810014' } },
  });
}

/** Issues a certificate of `kind` for a resident with a fresh key pair. */
export async function issueFor(t: TestPlatform, resident: ResidentRecord, kind: 'sign' | 'auth', options: { cardExpiresOn?: string; replacesId?: string } = {}):
  Promise<{ certificate: CertificateRecord; keys: webcrypto.CryptoKeyPair }> {
  const { keys, spki } = await cardKeyPair();
  const municipality = await t.registry.getMunicipality(resident.lgCode);
  const certificate = await t.platform.jpki.issueCertificate(certificateRequestFor(municipality, resident, kind, spki, { actor: '三鷹市 市民課', ...options }));
  return { certificate, keys };
}
