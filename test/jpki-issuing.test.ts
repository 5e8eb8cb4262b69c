// JPKI issuing and revocation against the registry: profiles from registry data, the age rule, renewal, hold, and revocation from change notices.
import 'reflect-metadata';
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as x509 from '@peculiar/x509';
import { createTestPlatform, type TestPlatform } from './support/test-platform.ts';
import { cardKeyPair, issueFor, newResident } from './support/jpki-fixtures.ts';
import { missingTool } from './support/require-tool.ts';
import { opensslX509 } from './support/openssl.ts';
import { PlatformError } from '../src/kernel/errors.ts';
import { relayResidentChanges } from '../src/platform/resident-change-relay.ts';
import { certificateRequestFor } from '../src/modules/card/index.ts';
import { readBasicAttributes } from '../src/modules/jpki/index.ts';

const opensslMissing = missingTool('openssl', 'apt-get install -y openssl');

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof PlatformError, String(error));
    assert.equal(error.code, code, error.detail);
    return true;
  });
}

describe('JPKI issuing and revocation', () => {
  let t: TestPlatform;
  before(async () => {
    t = await createTestPlatform();
    await t.platform.jpki.initCertificateAuthorities();
  });
  after(() => t.close());

  test('a signing certificate carries the resident\'s 4 attributes, the romaji locality and a validity to the 5th birthday', { skip: opensslMissing }, async () => {
    const resident = await newResident(t, { birthDate: '1985-06-15' });
    const { certificate } = await issueFor(t, resident, 'sign');
    assert.equal(certificate.status, 'good');
    assert.equal(certificate.kind, 'sign');
    assert.match(certificate.serialHex, /^[0-9a-f]{32}$/);
    assert.equal(certificate.notAfter.toISOString(), '2031-06-15T14:59:59.000Z');
    const subject = opensslX509(certificate.der, '-subject', '-nameopt', 'RFC2253').trim();
    assert.match(subject, /^subject=CN=20261124100000\d{5}132047001,L=Mitaka-shi,L=Tokyo-to,C=JP$/);
    const parsed = new x509.X509Certificate(certificate.der);
    assert.equal(parsed.serialNumber.toLowerCase(), certificate.serialHex);
    const attributes = readBasicAttributes(certificate.der);
    assert.equal(attributes.name, `${resident.familyName}　${resident.givenName}`);
    assert.equal(attributes.address, resident.address);
    assert.equal(attributes.birthDate, '1985-06-15');
  });

  test('a user-authentication certificate has C=JP and an opaque CN only, and ends with the card if that is earlier', { skip: opensslMissing }, async () => {
    const resident = await newResident(t);
    const { certificate } = await issueFor(t, resident, 'auth', { cardExpiresOn: '2028-03-31' });
    const subject = opensslX509(certificate.der, '-subject', '-nameopt', 'RFC2253').trim();
    assert.match(subject, /^subject=CN=[0-9A-F]{32},C=JP$/);
    assert.equal(certificate.notAfter.toISOString(), '2028-03-31T14:59:59.000Z');
    assert.doesNotMatch(opensslX509(certificate.der, '-text'), new RegExp(resident.familyName));
  });

  test('no signing certificate under 15; an auth certificate is fine at any age', async () => {
    const child = await newResident(t, { birthDate: '2012-11-25' }); // 14 until tomorrow
    await rejectsWith(issueFor(t, child, 'sign'), 'JPKI_SIGNING_UNDER_15');
    const { certificate } = await issueFor(t, child, 'auth');
    assert.equal(certificate.kind, 'auth');
    const fifteen = await newResident(t, { birthDate: '2011-11-24' }); // 15 today
    assert.equal((await issueFor(t, fifteen, 'sign')).certificate.kind, 'sign');
  });

  test('bad public keys, expired cards and malformed holders are refused with stable codes', async () => {
    const resident = await newResident(t);
    const municipality = await t.registry.getMunicipality(resident.lgCode);
    const request = (spki: Uint8Array, extra = {}) => certificateRequestFor(municipality, resident, 'auth', spki, { actor: 'test', ...extra });
    await rejectsWith(t.platform.jpki.issueCertificate(request(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]))), 'JPKI_PUBLIC_KEY_INVALID');
    const small = await crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify']);
    await rejectsWith(t.platform.jpki.issueCertificate(request(new Uint8Array(await crypto.subtle.exportKey('spki', small.publicKey)))), 'JPKI_PUBLIC_KEY_INVALID');
    const { spki } = await cardKeyPair();
    await rejectsWith(t.platform.jpki.issueCertificate(request(spki, { cardExpiresOn: '2026-11-23' })), 'JPKI_CARD_EXPIRED');
    await rejectsWith(t.platform.jpki.issueCertificate({ ...request(spki), holder: { residentCode: '123', lgCode: '132047', birthDate: '1990-02-30' } }), 'JPKI_REQUEST_INVALID');
    assert.equal((await t.platform.jpki.certificatesOfResident(resident.residentCode)).length, 0, 'nothing recorded for refused requests');
  });

  test('serials are random and unique, and every certificate is recorded under its holder', async () => {
    const resident = await newResident(t);
    const issued = [];
    for (let i = 0; i < 5; i += 1) issued.push((await issueFor(t, resident, 'auth')).certificate);
    assert.equal(new Set(issued.map((c) => c.serialHex)).size, 5);
    const recorded = await t.platform.jpki.certificatesOfResident(resident.residentCode);
    assert.deepEqual(recorded.map((c) => c.id).sort(), issued.map((c) => c.id).sort());
    assert.equal(new Set(recorded.map((c) => c.holderId)).size, 1);
    assert.deepEqual(await t.platform.jpki.getCertificate({ serialHex: issued[0]!.serialHex.toUpperCase() }), issued[0]);
    // As OpenSSL prints it (colons) and with an extra zero octet: still the same certificate.
    const colons = `00:${issued[1]!.serialHex.match(/../g)!.join(':')}`;
    assert.equal((await t.platform.jpki.getCertificate({ serialHex: colons })).id, issued[1]!.id);
  });

  test('renewal supersedes the old certificate and links the new one to it', async () => {
    const resident = await newResident(t);
    const old = (await issueFor(t, resident, 'auth')).certificate;
    const renewed = (await issueFor(t, resident, 'auth', { replacesId: old.id })).certificate;
    assert.equal(renewed.replacesId, old.id);
    assert.equal(renewed.holderId, old.holderId);
    const after = await t.platform.jpki.getCertificate({ id: old.id });
    assert.equal(after.status, 'revoked');
    assert.equal(after.revocationReason, 'superseded');
    const stranger = await newResident(t);
    await rejectsWith(issueFor(t, stranger, 'auth', { replacesId: renewed.id }), 'JPKI_RENEWAL_MISMATCH');
    assert.equal((await t.platform.jpki.getCertificate({ id: renewed.id })).status, 'good', 'a refused renewal changes nothing');
  });

  test('hold, release, revoke: each once, in order, audited for the person', async () => {
    const resident = await newResident(t);
    const { certificate } = await issueFor(t, resident, 'auth');
    const jpki = t.platform.jpki;
    const held = await jpki.holdCertificate({ id: certificate.id }, '24時間コールセンター');
    assert.equal(held.status, 'hold');
    assert.equal(held.statusChangedAt?.toISOString(), '2026-11-24T01:00:00.000Z');
    await rejectsWith(jpki.holdCertificate({ id: certificate.id }, 'again'), 'JPKI_CERTIFICATE_ALREADY_ON_HOLD');
    assert.equal((await jpki.releaseHold({ id: certificate.id }, '三鷹市 市民課')).status, 'good');
    await rejectsWith(jpki.releaseHold({ id: certificate.id }, 'again'), 'JPKI_CERTIFICATE_NOT_ON_HOLD');
    await jpki.holdCertificate({ id: certificate.id }, '24時間コールセンター');
    const revoked = await jpki.revokeCertificate({ id: certificate.id }, 'keyCompromise', '三鷹市 市民課（紛失）');
    assert.equal(revoked.revocationReason, 'keyCompromise');
    await rejectsWith(jpki.revokeCertificate({ id: certificate.id }, 'cessationOfOperation', 'again'), 'JPKI_CERTIFICATE_ALREADY_REVOKED');
    await rejectsWith(jpki.revokeCertificate({ id: certificate.id }, 'certificateHold' as never, 'x'), 'JPKI_REQUEST_INVALID');
    await rejectsWith(jpki.revokeCertificate({ serialHex: 'zz' }, 'keyCompromise', 'x'), 'JPKI_CERTIFICATE_NOT_FOUND');
    const actions = (await t.platform.audit.listForSubject('resident', resident.residentCode)).map((r) => r.action);
    assert.deepEqual(actions.filter((a) => a.startsWith('jpki.')), ['jpki.certificate.revoke', 'jpki.certificate.hold', 'jpki.certificate.release', 'jpki.certificate.hold', 'jpki.certificate.issue']);
  });

  test('a name change revokes the signing certificate (affiliationChanged) and leaves the auth certificate; death revokes both', async () => {
    const resident = await newResident(t);
    const sign = (await issueFor(t, resident, 'sign')).certificate;
    const auth = (await issueFor(t, resident, 'auth')).certificate;
    await relayResidentChanges(t.registry, t.platform.jpki); // whatever earlier tests left
    await t.registry.changeName(t.staff, resident.id, { familyName: '佐藤', givenName: resident.givenName, familyNameKana: 'サトウ', givenNameKana: 'イチロウ', occurredOn: '2026-11-20', reason: '婚姻' });
    assert.equal((await t.platform.jpki.getCertificate({ id: sign.id })).status, 'good', 'nothing happens before the notice is relayed');
    assert.equal(await relayResidentChanges(t.registry, t.platform.jpki), 1);
    const signAfter = await t.platform.jpki.getCertificate({ id: sign.id });
    assert.equal(signAfter.status, 'revoked');
    assert.equal(signAfter.revocationReason, 'affiliationChanged');
    assert.equal((await t.platform.jpki.getCertificate({ id: auth.id })).status, 'good');
    assert.equal(await relayResidentChanges(t.registry, t.platform.jpki), 0, 'consumed once');

    await t.registry.recordDeath(t.staff, resident.id, { diedOn: '2026-11-23' });
    await relayResidentChanges(t.registry, t.platform.jpki);
    const authAfter = await t.platform.jpki.getCertificate({ id: auth.id });
    assert.equal(authAfter.status, 'revoked');
    assert.equal(authAfter.revocationReason, 'cessationOfOperation');
    // A repeated notice (a crash before markOutboxConsumed) revokes nothing twice.
    assert.deepEqual(await t.platform.jpki.applyResidentChange({ topic: 'resident.died', residentCode: resident.residentCode, occurredAt: new Date() }), []);
  });
});
