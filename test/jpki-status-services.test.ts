// CRL and OCSP over HTTP, checked by the real OpenSSL: `openssl ocsp -url … -header`, `openssl crl`, `openssl verify -crl_check`; verifiers only, billed.
import 'reflect-metadata';
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { fixedClock } from '../src/kernel/clock.ts';
import { createTestPlatform, type TestPlatform } from './support/test-platform.ts';
import { issueFor, newResident } from './support/jpki-fixtures.ts';
import { missingTool } from './support/require-tool.ts';
import type { CertificateRecord } from '../src/modules/jpki/index.ts';

const opensslMissing = missingTool('openssl', 'apt-get install -y openssl');

function pem(der: Uint8Array, label = 'CERTIFICATE'): string {
  return `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END ${label}-----\n`;
}

describe('JPKI CRL and OCSP for verifiers', { skip: opensslMissing }, () => {
  let t: TestPlatform;
  let dir: string;
  let url: string;
  let credential: string;
  let verifierId: string;
  const certs: Record<'good' | 'revoked' | 'held' | 'sign', CertificateRecord> = {} as never;

  /** Runs openssl in the test folder; returns exit status and all output. */
  function openssl(...args: string[]): { status: number | null; output: string } {
    const run = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  }

  before(async () => {
    // OpenSSL checks times against the real clock, so this platform runs on it too (frozen at start).
    t = await createTestPlatform({ clock: fixedClock(new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000)) });
    await t.platform.jpki.initCertificateAuthorities();
    dir = mkdtempSync(join(tmpdir(), 'myna-status-'));
    for (const kind of ['sign', 'auth'] as const) writeFileSync(join(dir, `${kind}-ca.pem`), pem((await t.platform.jpki.issuingCa(kind)).certificate));
    const resident = await newResident(t);
    certs.good = (await issueFor(t, resident, 'auth')).certificate;
    certs.revoked = (await issueFor(t, await newResident(t), 'auth')).certificate;
    certs.held = (await issueFor(t, await newResident(t), 'auth')).certificate;
    certs.sign = (await issueFor(t, resident, 'sign')).certificate;
    t.clock.advance(5_000);
    await t.platform.jpki.revokeCertificate({ id: certs.revoked.id }, 'keyCompromise', '紛失届');
    await t.platform.jpki.holdCertificate({ id: certs.held.id }, '24時間コールセンター');
    for (const [name, c] of Object.entries(certs)) writeFileSync(join(dir, `${name}.pem`), pem(c.der));
    ({ credential, verifier: { id: verifierId } } = await t.platform.jpki.registerVerifier({ name: '三鷹信用金庫', kind: 'platform_operator' }));
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  /**
   * openssl against our own server: it must not block the event loop (spawnSync would deadlock,
   * the server lives in this process).
   */
  function opensslAsync(...args: string[]): Promise<{ status: number | null; output: string }> {
    return new Promise((resolve) => {
      const child = spawn('openssl', args, { cwd: dir });
      let output = '';
      child.stdout.on('data', (chunk) => { output += chunk; });
      child.stderr.on('data', (chunk) => { output += chunk; });
      child.on('close', (status) => resolve({ status, output }));
    });
  }

  /** `openssl ocsp` against our responder; `digest` must come before -cert in OpenSSL's argument order. */
  function ocsp(kind: 'sign' | 'auth', cert: string, digest: string[] = []) {
    return opensslAsync('ocsp', '-issuer', `${kind}-ca.pem`, ...digest, '-cert', `${cert}.pem`, '-url', `${url}/jpki/ocsp/${kind}`, '-CAfile', `${kind}-ca.pem`,
      '-header', `X-JPKI-Verifier-Key=${credential}`);
  }

  test('openssl ocsp verifies good, revoked (with reason and time) and held answers, with the nonce echoed', async () => {
    const good = await ocsp('auth', 'good');
    assert.equal(good.status, 0, good.output);
    assert.match(good.output, /Response verify OK/);
    assert.match(good.output, /good\.pem: good/);
    assert.doesNotMatch(good.output, /WARNING/);
    const revoked = await ocsp('auth', 'revoked');
    assert.match(revoked.output, /Response verify OK/);
    assert.match(revoked.output, /revoked\.pem: revoked/);
    assert.match(revoked.output, /Reason: keyCompromise/);
    assert.match(revoked.output, /Revocation Time: /);
    const held = await ocsp('auth', 'held', ['-sha256']);
    assert.match(held.output, /Response verify OK/);
    assert.match(held.output, /Reason: certificateHold/);
    const sign = await ocsp('sign', 'sign');
    assert.match(sign.output, /sign\.pem: good/);
  });

  test('a certificate of the other CA is unknown; a missing credential gets "unauthorized"', async () => {
    const other = await ocsp('sign', 'good');
    assert.match(other.output, /good\.pem: unknown/);
    const anonymous = await opensslAsync('ocsp', '-issuer', 'auth-ca.pem', '-cert', 'good.pem', '-url', `${url}/jpki/ocsp/auth`, '-CAfile', 'auth-ca.pem');
    assert.match(anonymous.output, /Responder Error: unauthorized \(6\)/);
  });

  test('GET requests are answered too, and garbage gets malformedRequest, not an HTTP error', async () => {
    const made = openssl('ocsp', '-issuer', 'auth-ca.pem', '-cert', 'revoked.pem', '-no_nonce', '-reqout', 'req.der');
    assert.equal(made.status, 0, made.output);
    const request = spawnSync('cat', [join(dir, 'req.der')]).stdout;
    const get = await t.app.inject({ method: 'GET', url: `/jpki/ocsp/auth/${encodeURIComponent(request.toString('base64'))}`, headers: { 'x-jpki-verifier-key': credential } });
    assert.equal(get.statusCode, 200);
    assert.equal(get.headers['content-type'], 'application/ocsp-response');
    writeFileSync(join(dir, 'get.der'), get.rawPayload);
    const read = openssl('ocsp', '-respin', 'get.der', '-issuer', 'auth-ca.pem', '-cert', 'revoked.pem', '-CAfile', 'auth-ca.pem', '-no_nonce');
    assert.match(read.output, /revoked\.pem: revoked/);
    const garbage = await t.app.inject({ method: 'POST', url: '/jpki/ocsp/auth', headers: { 'content-type': 'application/ocsp-request', 'x-jpki-verifier-key': credential }, payload: Buffer.from('not DER at all') });
    assert.equal(garbage.statusCode, 200);
    assert.deepEqual([...garbage.rawPayload], [0x30, 0x03, 0x0a, 0x01, 0x01]);
    const badGet = await t.app.inject({ method: 'GET', url: '/jpki/ocsp/auth/%%%', headers: { 'x-jpki-verifier-key': credential } });
    // A path that is not even URL-decodable never reaches the responder: the HTTP edge answers 400 problem+json.
    assert.equal(badGet.statusCode, 400);
    assert.match(String(badGet.headers['content-type']), /application\/problem\+json/);
  });

  test('the CRL is DER that openssl reads and verifies; verify -crl_check sees revoked and held certificates as revoked', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/jpki/crl/auth.crl', headers: { 'x-jpki-verifier-key': credential } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/pkix-crl');
    writeFileSync(join(dir, 'auth.crl'), res.rawPayload);
    const text = openssl('crl', '-inform', 'DER', '-in', 'auth.crl', '-noout', '-text', '-CAfile', 'auth-ca.pem');
    assert.equal(text.status, 0, text.output);
    assert.match(text.output, /verify OK/);
    assert.match(text.output, new RegExp(`Serial Number: ${certs.revoked.serialHex.toUpperCase()}[\\s\\S]*?Key Compromise`));
    assert.match(text.output, /Certificate Hold/);
    assert.doesNotMatch(text.output, new RegExp(certs.good.serialHex.toUpperCase()));
    const crl = new x509.X509Crl(res.rawPayload);
    assert.ok(crl.nextUpdate && crl.nextUpdate.getTime() - crl.thisUpdate.getTime() === 60 * 60_000, 'nextUpdate is thisUpdate + the schedule interval');
    writeFileSync(join(dir, 'auth-crl.pem'), pem(res.rawPayload, 'X509 CRL'));
    const verify = (cert: string) => openssl('verify', '-crl_check', '-CAfile', 'auth-ca.pem', '-CRLfile', 'auth-crl.pem', `${cert}.pem`);
    assert.equal(verify('good').status, 0, verify('good').output);
    assert.match(verify('revoked').output, /certificate revoked/);
    assert.match(verify('held').output, /certificate revoked/);
  });

  test('a regenerated CRL has the next number and drops a released hold', async () => {
    const first = await t.platform.jpki.currentCrl('auth');
    await t.platform.jpki.releaseHold({ id: certs.held.id }, '三鷹市 市民課（カード発見）');
    const next = await t.platform.jpki.generateCrl('auth');
    assert.equal(next.crlNumber, first.crlNumber + 1n);
    assert.equal(next.entries, first.entries - 1);
  });

  test('a CA generation that cannot exist (beyond any integer column) is JPKI_CRL_NOT_FOUND, not a database error', async () => {
    for (const generation of ['99', '99999999999999999999']) {
      const res = await t.app.inject({ method: 'GET', url: `/jpki/crl/auth.crl?generation=${generation}`, headers: { 'x-jpki-verifier-key': credential } });
      assert.equal(res.statusCode, 404, res.body);
      assert.equal(res.json().code, 'JPKI_CRL_NOT_FOUND');
    }
  });

  test('CRLs are for registered verifiers only; every use is billed on the monthly statement', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/jpki/crl/sign.crl' });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.json().code, 'JPKI_VERIFIER_UNKNOWN');
    assert.match(String(anonymous.headers['content-type']), /application\/problem\+json/);
    const month = t.platform.clock.now().toISOString().slice(0, 7);
    const statement = await t.platform.jpki.monthlyStatement(verifierId, month);
    const ocspLine = statement.lines.find((l) => l.service === 'ocsp')!;
    // 5 openssl ocsp calls with the credential + 1 GET + 1 garbage POST (the undecodable GET never reached the responder).
    assert.equal(ocspLine.quantity, 7);
    const crlLine = statement.lines.find((l) => l.service === 'crl');
    assert.ok(crlLine, 'a CRL download makes the CRL line appear');
  });
});
