// The verification API through the relying-party SDK over real HTTP: signatures, every failure, stored certificates, 現況確認, user IDs.
import 'reflect-metadata';
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, webcrypto } from 'node:crypto';
import { createTestPlatform, type TestPlatform } from './support/test-platform.ts';
import { cardKeyPair, issueFor, newResident } from './support/jpki-fixtures.ts';
import { relayResidentChanges } from '../src/platform/resident-change-relay.ts';
import { buildCaCertificate, buildUserAuthCertificate, createVerifierClient, type VerifierClient } from '../src/modules/jpki/index.ts';
import { PlatformError } from '../src/kernel/errors.ts';

const challenge = new TextEncoder().encode('kiosk-session-7f3a: 2026-11-24T10:00:00+09:00');

async function sign(keys: webcrypto.CryptoKeyPair, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await webcrypto.subtle.sign('RSASSA-PKCS1-v1_5', keys.privateKey, data));
}

describe('JPKI verification API and SDK', () => {
  let t: TestPlatform;
  let bank: VerifierClient;
  let shop: VerifierClient;
  let bankId: string;
  let baseUrl: string;

  before(async () => {
    t = await createTestPlatform();
    await t.platform.jpki.initCertificateAuthorities();
    baseUrl = `${await t.app.listen({ port: 0, host: '127.0.0.1' })}/jpki`;
    const a = await t.platform.jpki.registerVerifier({ name: '三鷹信用金庫', kind: 'signature' });
    const b = await t.platform.jpki.registerVerifier({ name: 'ミタカ通販', kind: 'user_authentication' });
    bankId = a.verifier.id;
    bank = createVerifierClient({ baseUrl, credential: a.credential });
    shop = createVerifierClient({ baseUrl, credential: b.credential });
  });
  after(() => t.close());

  test('a signature over data and over its digest verifies; the user ID is per verifier and survives renewal', async () => {
    const resident = await newResident(t);
    const { certificate, keys } = await issueFor(t, resident, 'auth');
    const signature = await sign(keys, challenge);
    const overData = await bank.verify({ certificate: certificate.der, signature, data: challenge, expectedKind: 'auth' });
    assert.ok(overData.valid, JSON.stringify(overData));
    assert.equal(overData.kind, 'auth');
    assert.equal(overData.serialHex, certificate.serialHex);
    assert.equal(overData.attributes, undefined, 'an auth certificate carries no attributes');
    const overDigest = await bank.verify({ certificate: certificate.der, signature, digest: createHash('sha256').update(challenge).digest() });
    assert.ok(overDigest.valid);
    assert.equal(overDigest.userId, overData.userId);
    const atShop = await shop.verify({ certificate: certificate.der, signature, data: challenge });
    assert.ok(atShop.valid);
    assert.notEqual(atShop.userId, overData.userId, 'user IDs differ between verifiers');

    const renewed = await issueFor(t, resident, 'auth', { replacesId: certificate.id });
    const afterRenewal = await bank.verify({ certificate: renewed.certificate.der, signature: await sign(renewed.keys, challenge), data: challenge });
    assert.ok(afterRenewal.valid);
    assert.equal(afterRenewal.userId, overData.userId, 'the same person keeps the same user ID');
    const old = await bank.verify({ certificate: certificate.der, signature, data: challenge });
    assert.deepEqual([old.valid, !old.valid && old.failure], [false, 'JPKI_CERT_REVOKED']);
  });

  test('each bad input is a clear failure: other data, another CA, garbage, wrong kind, expiry', async () => {
    const { certificate, keys } = await issueFor(t, await newResident(t), 'auth');
    const signature = await sign(keys, challenge);
    const failure = async (input: Parameters<VerifierClient['verify']>[0]) => {
      const result = await bank.verify(input);
      assert.equal(result.valid, false, JSON.stringify(result));
      return result.valid ? '' : result.failure;
    };
    assert.equal(await failure({ certificate: certificate.der, signature, data: new TextEncoder().encode('other data') }), 'JPKI_SIGNATURE_INVALID');
    assert.equal(await failure({ certificate: certificate.der.slice(0, 200), signature, data: challenge }), 'JPKI_CERT_MALFORMED');
    assert.equal(await failure({ certificate: new Uint8Array([1, 2, 3]), signature, data: challenge }), 'JPKI_CERT_MALFORMED');
    assert.equal(await failure({ certificate: certificate.der, signature, data: challenge, expectedKind: 'sign' }), 'JPKI_CERT_WRONG_POLICY');

    // A look-alike CA with the same name but its own key.
    const rsa = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' } as const;
    const rogueKeys = await webcrypto.subtle.generateKey(rsa, false, ['sign', 'verify']) as webcrypto.CryptoKeyPair;
    const now = t.clock.now();
    const rogueCa = await buildCaCertificate({ kind: 'auth', keys: rogueKeys, serialNumber: new Uint8Array([1]), notBefore: now, notAfter: new Date(now.getTime() + 86_400_000 * 365) });
    const { spki } = await cardKeyPair();
    const forged = await buildUserAuthCertificate({ issuer: { certificate: rogueCa, privateKey: rogueKeys.privateKey }, subjectPublicKeyInfo: spki, serialNumber: new Uint8Array([7]), notBefore: now, notAfter: new Date(now.getTime() + 86_400_000), commonName: 'FORGED' });
    assert.equal(await failure({ certificate: forged, signature, data: challenge }), 'JPKI_CERT_UNKNOWN_ISSUER');

    t.clock.set(new Date(certificate.notAfter.getTime() + 1000));
    try {
      assert.equal(await failure({ certificate: certificate.der, signature, data: challenge }), 'JPKI_CERT_EXPIRED');
    } finally {
      t.clock.set('2026-11-24T01:00:00Z');
    }
  });

  test('a stored signing certificate returns the 4 attributes; 現況確認 says unchanged, then changed after a name change', async () => {
    const resident = await newResident(t);
    const { certificate, keys } = await issueFor(t, resident, 'sign');
    const result = await bank.verify({ certificate: certificate.der, signature: await sign(keys, challenge), data: challenge, expectedKind: 'sign', store: true });
    assert.ok(result.valid && result.certificateId, JSON.stringify(result));
    assert.equal(result.attributes?.name, `${resident.familyName}　${resident.givenName}`);
    assert.equal(result.attributes?.address, resident.address);
    const before = await bank.status(result.certificateId);
    assert.equal(before.result, 'unchanged');
    await relayResidentChanges(t.registry, t.platform.jpki);
    await t.registry.changeName(t.staff, resident.id, { familyName: '佐藤', givenName: resident.givenName, familyNameKana: 'サトウ', givenNameKana: 'イチロウ', occurredOn: '2026-11-20', reason: '婚姻' });
    await relayResidentChanges(t.registry, t.platform.jpki);
    const after = await bank.status(result.certificateId);
    assert.equal(after.result, 'changed');
    assert.equal(after.reason, 'affiliationChanged');
    assert.match(after.message, /最新の情報/);
    // The verification was recorded where the person can see it.
    const audit = await t.platform.audit.listForSubject('resident', resident.residentCode);
    assert.ok(audit.some((r) => r.action === 'jpki.certificate.verify' && r.actorName === '三鷹信用金庫'));
    // Another verifier cannot use this certificate ID.
    await assert.rejects(shop.status(result.certificateId), (e: unknown) => e instanceof PlatformError && e.code === 'JPKI_CERTIFICATE_NOT_FOUND' && e.status === 404);
  });

  test('unknown verifiers are refused; verification calls are billed', async () => {
    const stranger = createVerifierClient({ baseUrl, credential: 'jpkiv_unknown' });
    await assert.rejects(stranger.verify({ certificate: new Uint8Array([1]), signature: new Uint8Array([1]), data: challenge }), (e: unknown) => e instanceof PlatformError && e.code === 'JPKI_VERIFIER_UNKNOWN' && e.status === 401);
    const statement = await t.platform.jpki.monthlyStatement(bankId, '2026-11');
    const verify = statement.lines.find((l) => l.service === 'verify')!;
    assert.ok(verify.quantity >= 10, `verify count ${verify.quantity}`);
    assert.equal(verify.amountYen, verify.quantity * verify.unitYen);
  });
});
