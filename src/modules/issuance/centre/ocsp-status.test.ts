// The centre reads JPKI's real OCSP responder: good, on hold, revoked, unknown, and answers it must refuse (tampered, another CA, another certificate).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestPlatform, type TestPlatform } from '../../../../test/support/test-platform.ts';
import { issueFor, newResident } from '../../../../test/support/jpki-fixtures.ts';
import { ocspRequestFor, readOcspStatus } from './ocsp-status.ts';

let t: TestPlatform;
let verifier: string;
let caCertificate: Uint8Array;

before(async () => {
  t = await createTestPlatform();
  await t.platform.jpki.initCertificateAuthorities();
  verifier = (await t.platform.jpki.registerVerifier({ name: '証明書交付センター（試験）', kind: 'user_authentication' })).credential;
  caCertificate = (await t.platform.jpki.caGenerations('auth'))[0]!.certificate;
});
after(() => t.close());

async function issued(): Promise<{ der: Uint8Array; serialHex: string }> {
  const { certificate } = await issueFor(t, await newResident(t), 'auth');
  return { der: certificate.der, serialHex: certificate.serialHex };
}

const ask = (serialHex: string) => t.platform.jpki.answerOcsp(verifier, 'auth', ocspRequestFor(serialHex, caCertificate));

test('a certificate in use is good; on hold is revoked with reason 6 (certificateHold); revoked carries its reason', async () => {
  const cert = await issued();
  assert.deepEqual(readOcspStatus(await ask(cert.serialHex), { caCertificate, serialHex: cert.serialHex }), { status: 'good' });
  await t.platform.jpki.holdCertificate({ serialHex: cert.serialHex }, '試験: 一時停止');
  assert.deepEqual(readOcspStatus(await ask(cert.serialHex), { caCertificate, serialHex: cert.serialHex }), { status: 'revoked', reason: 6 });
  const lost = await issued();
  await t.platform.jpki.revokeCertificate({ serialHex: lost.serialHex }, 'keyCompromise', '試験: 紛失');
  assert.deepEqual(readOcspStatus(await ask(lost.serialHex), { caCertificate, serialHex: lost.serialHex }), { status: 'revoked', reason: 1 });
});

test('an answer about another certificate, a tampered answer and another CA are refused', async () => {
  const [a, b] = [await issued(), await issued()];
  const answer = await ask(a.serialHex);
  assert.throws(() => readOcspStatus(answer, { caCertificate, serialHex: b.serialHex }), /another certificate/);
  // Flip one bit inside the signed ResponseData (the producedAt time sits well inside it).
  const tampered = new Uint8Array(answer);
  const at = Buffer.from(tampered).indexOf(Buffer.from('Z', 'ascii'));
  tampered[at - 1] = tampered[at - 1]! ^ 0x01;
  assert.throws(() => readOcspStatus(tampered, { caCertificate, serialHex: a.serialHex }), /does not verify/);
  const signCa = (await t.platform.jpki.caGenerations('sign'))[0]!.certificate;
  assert.throws(() => readOcspStatus(answer, { caCertificate: signCa, serialHex: a.serialHex }), /not issued by the CA/);
  assert.throws(() => readOcspStatus(answer.subarray(0, answer.length - 1), { caCertificate, serialHex: a.serialHex }), /not a DER OCSPResponse|malformed|missing/);
});

test('a responder error status (an unregistered verifier is unauthorized) is refused', async () => {
  const cert = await issued();
  const refused = await t.platform.jpki.answerOcsp('not-a-credential', 'auth', ocspRequestFor(cert.serialHex, caCertificate));
  assert.throws(() => readOcspStatus(refused, { caCertificate, serialHex: cert.serialHex }), /status 6/);
});
