// The OCSP responder's pure parts against the real OpenSSL: the requests it makes are read, the responses we sign it verifies.
import 'reflect-metadata';
import { test, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Extension } from '@peculiar/asn1-x509';
import { BasicOCSPResponse, CertID, OCSPRequest, OCSPResponse, Request, TBSRequest, id_pkix_ocsp_nonce } from '@peculiar/asn1-ocsp';
import { missingTool } from '../../../../test/support/require-tool.ts';
import { opensslX509 } from '../../../../test/support/openssl.ts';
import { buildCaCertificate, buildUserAuthCertificate } from '../certificate-profiles.ts';
import { MAX_CERT_IDS, OcspMalformedRequest, decodeOcspGetPath, parseOcspRequest, type OcspCertId } from './parse-ocsp-request.ts';
import { certIdHashes } from './issuer-key-hashes.ts';
import { buildOcspErrorResponse, buildOcspResponse, createOcspSigner, type OcspSingleAnswer } from './build-ocsp-response.ts';
import { buildOcspResponderCertificate } from './responder-certificate.ts';

const RSA = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' } as const;
const P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const opensslMissing = missingTool('openssl', 'apt-get install -y openssl');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Milliseconds on purpose: every time must come out rounded down to 03:04:05. */
const REVOKED_AT = new Date('2026-01-02T03:04:05.999Z');

interface Ca { keys: webcrypto.CryptoKeyPair; certificate: x509.X509Certificate; der: Uint8Array }
interface Responder { certificate: Uint8Array; keys: webcrypto.CryptoKeyPair }

/** Writes files into a fresh temp folder, runs openssl there, cleans up. Returns status and combined output, and files it wrote. */
function openssl(files: Record<string, Uint8Array | string>, args: string[], read: string[] = []): { status: number | null; output: string; out: Record<string, Uint8Array> } {
  const dir = mkdtempSync(join(tmpdir(), 'myna-ocsp-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const run = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    const out = Object.fromEntries(read.map((name) => [name, new Uint8Array(readFileSync(join(dir, name)))]));
    return { status: run.status, output: `${run.stdout}${run.stderr}`, out };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function pem(der: Uint8Array): string {
  return new x509.X509Certificate(der).toString('pem');
}

async function privateKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key)).toString('base64');
  return `-----BEGIN PRIVATE KEY-----\n${pkcs8.replace(/.{64}/g, '$&\n')}\n-----END PRIVATE KEY-----\n`;
}

const hex = (bytes: Uint8Array | ArrayBuffer): string => Buffer.from(bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes).toString('hex');

describe('OCSP responder (RFC 6960)', () => {
  // openssl ocsp checks the responder's chain and thisUpdate/nextUpdate against the real clock, so
  // everything here is valid around now; only the revocation time is fixed.
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  let ca: Ca;
  let otherCa: Ca;
  /** User certificates a, b, c of `ca`. b's serial has its top bit set, so DER adds a 00 sign octet. */
  const user: Record<'a' | 'b' | 'c', Uint8Array> = {} as never;
  const serials = { a: Uint8Array.of(0x0a, 0x01), b: Uint8Array.of(0x8b, 0x02), c: Uint8Array.of(0x0c, 0x03) };
  let rsaResponder: Responder;
  let ecResponder: Responder;
  /** A responder certified by the other CA: must not be able to answer for `ca`. */
  let strangerResponder: Responder;
  /** Files for openssl: the CA and the user certificates in PEM. */
  let files: Record<string, string>;

  async function makeCa(kind: 'sign' | 'auth', serial: number): Promise<Ca> {
    const keys = await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']);
    const certificate = await buildCaCertificate({ kind, keys, serialNumber: Uint8Array.of(serial), notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 3650 * DAY) });
    return { keys, certificate, der: new Uint8Array(certificate.rawData) };
  }

  async function makeResponder(issuer: Ca, kind: 'sign' | 'auth', algorithm: typeof RSA | typeof P256, serial: number): Promise<Responder> {
    const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']) as webcrypto.CryptoKeyPair;
    const certificate = await buildOcspResponderCertificate({
      issuer: { certificate: issuer.certificate, privateKey: issuer.keys.privateKey }, publicKey: keys.publicKey,
      serialNumber: Uint8Array.of(0x7e, serial), notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 7 * DAY), kind,
    });
    return { certificate, keys };
  }

  before(async () => {
    ca = await makeCa('auth', 1);
    otherCa = await makeCa('sign', 2);
    const card = await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']);
    const spki = new Uint8Array(await webcrypto.subtle.exportKey('spki', card.publicKey));
    for (const name of ['a', 'b', 'c'] as const) {
      user[name] = await buildUserAuthCertificate({
        issuer: { certificate: ca.certificate, privateKey: ca.keys.privateKey }, subjectPublicKeyInfo: spki,
        serialNumber: serials[name], notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 365 * DAY), commonName: `USER${name.toUpperCase()}`,
      });
    }
    rsaResponder = await makeResponder(ca, 'auth', RSA, 1);
    ecResponder = await makeResponder(ca, 'auth', P256, 2);
    strangerResponder = await makeResponder(otherCa, 'sign', RSA, 3);
    files = { 'ca.pem': pem(ca.der), 'a.pem': pem(user.a), 'b.pem': pem(user.b), 'c.pem': pem(user.c) };
  });

  /** `openssl ocsp -reqout` for the given certificates; `options` go before the first -cert (where -sha256 must be). */
  function opensslRequest(certs: string[], ...options: string[]): Uint8Array {
    const run = openssl(files, ['ocsp', '-issuer', 'ca.pem', ...options, ...certs.flatMap((c) => ['-cert', `${c}.pem`]), '-reqout', 'req.der'], ['req.der']);
    assert.equal(run.status, 0, run.output);
    return run.out['req.der']!;
  }

  /** good for a, revoked (keyCompromise) for b, unknown for c: the CertIDs in request order. */
  function answersFor(certIds: OcspCertId[]): OcspSingleAnswer[] {
    const statuses = [
      { status: 'good' },
      { status: 'revoked', revokedAt: REVOKED_AT, reason: 'keyCompromise' },
      { status: 'unknown' },
    ] as const;
    return certIds.map((certId, i) => ({
      certId, certStatus: statuses[i]!, thisUpdate: new Date(now.getTime() - 60_000), nextUpdate: new Date(now.getTime() + DAY),
    }));
  }

  async function respond(responder: Responder, request: Uint8Array, nonce?: Uint8Array): Promise<Uint8Array> {
    const { certIds } = parseOcspRequest(request);
    return buildOcspResponse({ responder: { certificate: responder.certificate, privateKey: responder.keys.privateKey }, producedAt: new Date(now.getTime() + 123), answers: answersFor(certIds), nonce });
  }

  describe('parseOcspRequest on requests openssl makes', () => {
    test('SHA-1 (the default) with a nonce: both CertIDs, serials, issuer hashes that certIdHashes reproduces, the nonce', { skip: opensslMissing }, () => {
      const request = opensslRequest(['a', 'b']);
      const info = parseOcspRequest(request);
      const hashes = certIdHashes(ca.der);
      assert.deepEqual(info.certIds.map((id) => id.serialHex), ['0a01', '8b02'], 'the 00 sign octet before 8b is dropped');
      for (const id of info.certIds) {
        assert.equal(id.hashAlgorithm, 'sha1');
        assert.equal(hex(id.issuerNameHash), hex(hashes.sha1.nameHash));
        assert.equal(hex(id.issuerKeyHash), hex(hashes.sha1.keyHash));
      }
      // The CA's SKI is the SHA-1 of its key bits too (RFC 5280 §4.2.1.2 (1)): an independent check of keyHash.
      assert.equal(hex(hashes.sha1.keyHash), ca.certificate.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId);
      // raw is the CertID as sent: compare with @peculiar/asn1-ocsp's reading of the same request.
      const asn = AsnConvert.parse(request, OCSPRequest);
      info.certIds.forEach((id, i) => assert.equal(hex(id.raw), hex(AsnConvert.serialize(asn.tbsRequest.requestList[i]!.reqCert))));
      // OpenSSL's nonce: extnValue = OCTET STRING of 16 random octets, echoed as a whole.
      assert.ok(info.nonce);
      assert.equal(info.nonce.length, 18);
      assert.equal(hex(info.nonce.subarray(0, 2)), '0410');
      const text = openssl({ 'req.der': request }, ['ocsp', '-reqin', 'req.der', '-req_text']).output;
      assert.match(text, new RegExp(`OCSP Nonce: \\n\\s+${hex(info.nonce).toUpperCase()}\\n`));
      assert.match(text, /Serial Number: 8B02\n/);
    });

    test('-no_nonce: no nonce', { skip: opensslMissing }, () => {
      const info = parseOcspRequest(opensslRequest(['a'], '-no_nonce'));
      assert.equal(info.nonce, undefined);
      assert.equal(info.certIds.length, 1);
    });

    test('-sha256: SHA-256 CertIDs matching certIdHashes(ca).sha256', { skip: opensslMissing }, () => {
      const info = parseOcspRequest(opensslRequest(['a', 'b', 'c'], '-sha256'));
      const hashes = certIdHashes(ca.der);
      assert.deepEqual(info.certIds.map((id) => [id.hashAlgorithm, hex(id.issuerNameHash), hex(id.issuerKeyHash), id.serialHex]), [
        ['sha256', hex(hashes.sha256.nameHash), hex(hashes.sha256.keyHash), '0a01'],
        ['sha256', hex(hashes.sha256.nameHash), hex(hashes.sha256.keyHash), '8b02'],
        ['sha256', hex(hashes.sha256.nameHash), hex(hashes.sha256.keyHash), '0c03'],
      ]);
      assert.notEqual(hex(hashes.sha256.keyHash), hex(certIdHashes(otherCa.der).sha256.keyHash), 'another CA hashes differently');
    });

    test('a signed request is read, its signature ignored', { skip: opensslMissing }, async () => {
      const run = openssl({ ...files, 'signer.pem': pem(rsaResponder.certificate), 'signer.key': await privateKeyPem(rsaResponder.keys.privateKey) },
        ['ocsp', '-issuer', 'ca.pem', '-cert', 'a.pem', '-signer', 'signer.pem', '-signkey', 'signer.key', '-reqout', 'req.der'], ['req.der']);
      assert.equal(run.status, 0, run.output);
      assert.ok(AsnConvert.parse(run.out['req.der']!, OCSPRequest).optionalSignature, 'openssl did sign it');
      assert.deepEqual(parseOcspRequest(run.out['req.der']!).certIds.map((id) => id.serialHex), ['0a01']);
    });

    test(`${MAX_CERT_IDS} CertIDs are read, ${MAX_CERT_IDS + 1} are refused`, { skip: opensslMissing }, () => {
      assert.equal(parseOcspRequest(opensslRequest(Array(MAX_CERT_IDS).fill('a'))).certIds.length, MAX_CERT_IDS);
      assert.throws(() => parseOcspRequest(opensslRequest(Array(MAX_CERT_IDS + 1).fill('a'))), OcspMalformedRequest);
    });
  });

  describe('responses openssl verifies', () => {
    test('good, revoked (keyCompromise, time to the second) and unknown; Response verify OK against -CAfile ca.pem', { skip: opensslMissing }, async () => {
      const request = opensslRequest(['a', 'b', 'c'], '-no_nonce');
      const response = await respond(rsaResponder, request);
      const run = openssl({ ...files, 'resp.der': response }, [
        'ocsp', '-respin', 'resp.der', '-issuer', 'ca.pem', '-CAfile', 'ca.pem', '-no_nonce', '-cert', 'a.pem', '-cert', 'b.pem', '-cert', 'c.pem', '-resp_text',
      ]);
      assert.equal(run.status, 0, run.output);
      assert.match(run.output, /Response verify OK/);
      assert.match(run.output, /^a\.pem: good$/m);
      assert.match(run.output, /^b\.pem: revoked$/m);
      assert.match(run.output, /^\tReason: keyCompromise$/m);
      assert.match(run.output, /^\tRevocation Time: Jan {2}2 03:04:05 2026 GMT$/m);
      assert.match(run.output, /^c\.pem: unknown$/m);
      assert.match(run.output, /Response Type: Basic OCSP Response/);
      assert.match(run.output, /Signature Algorithm: sha256WithRSAEncryption/);
      // byKey ResponderID: the SHA-1 of the responder's key bits, which is also its SKI.
      const ski = new x509.X509Certificate(rsaResponder.certificate).getExtension(x509.SubjectKeyIdentifierExtension)!.keyId;
      assert.match(run.output, new RegExp(`Responder Id: ${ski.toUpperCase()}\\n`));
      assert.doesNotMatch(run.output, /WARNING/);
    });

    test('the nonce is echoed: openssl -reqin finds it; without it, it warns; with another, it refuses', { skip: opensslMissing }, async () => {
      const request = opensslRequest(['a', 'b', 'c']);
      const { nonce } = parseOcspRequest(request);
      const check = (response: Uint8Array) => openssl({ 'ca.pem': files['ca.pem']!, 'req.der': request, 'resp.der': response },
        ['ocsp', '-reqin', 'req.der', '-respin', 'resp.der', '-CAfile', 'ca.pem']);

      const echoed = check(await respond(rsaResponder, request, nonce));
      assert.equal(echoed.status, 0, echoed.output);
      assert.match(echoed.output, /Response verify OK/);
      assert.doesNotMatch(echoed.output, /nonce/i);

      // The two assertions above can fail: here is what openssl says otherwise.
      const missing = check(await respond(rsaResponder, request));
      assert.match(missing.output, /WARNING: no nonce in response/);
      const otherNonce = parseOcspRequest(opensslRequest(['a', 'b', 'c'])).nonce;
      const wrong = check(await respond(rsaResponder, request, otherNonce));
      assert.notEqual(wrong.status, 0);
      assert.match(wrong.output, /Nonce Verify error/);
    });

    test('a changed byte breaks the signature: openssl really verifies it', { skip: opensslMissing }, async () => {
      const request = opensslRequest(['a', 'b', 'c'], '-no_nonce');
      const response = await respond(rsaResponder, request);
      // The revocation time as written: 03:04:05, the .999 dropped.
      const at = Buffer.from(response).indexOf('20260102030405Z');
      assert.ok(at > 0);
      const tampered = response.slice();
      tampered[at + 13] = 0x36; // …06Z
      const run = openssl({ ...files, 'resp.der': tampered }, ['ocsp', '-respin', 'resp.der', '-issuer', 'ca.pem', '-CAfile', 'ca.pem', '-no_nonce', '-cert', 'b.pem']);
      assert.notEqual(run.status, 0);
      assert.match(run.output, /Response Verify Failure/);
      assert.match(run.output, /signature failure|bad signature/i);
    });

    test('a responder certified by the other CA is refused for this CA\'s certificates', { skip: opensslMissing }, async () => {
      const request = opensslRequest(['a', 'b', 'c'], '-no_nonce');
      const response = await respond(strangerResponder, request);
      const args = ['ocsp', '-respin', 'resp.der', '-issuer', 'ca.pem', '-no_nonce', '-cert', 'a.pem'];
      // Only this CA trusted: the responder's chain does not even build.
      const alone = openssl({ ...files, 'resp.der': response }, [...args, '-CAfile', 'ca.pem']);
      assert.notEqual(alone.status, 0);
      assert.match(alone.output, /Response Verify Failure/);
      assert.match(alone.output, /unable to get local issuer certificate/);
      // Both CAs trusted: the chain builds, but the responder is not authorised by the CA of the CertID.
      const both = openssl({ ...files, 'both.pem': `${files['ca.pem']!}\n${pem(otherCa.der)}\n`, 'resp.der': response }, [...args, '-CAfile', 'both.pem']);
      assert.notEqual(both.status, 0);
      assert.match(both.output, /Response Verify Failure/);
      // OpenSSL's wording when the signer is neither the CertID's CA nor delegated by it (ocsp_vfy.c).
      assert.match(both.output, /root ca not trusted/);
      assert.doesNotMatch(both.output, /Response verify OK/);
    });

    test('an ECDSA P-256 responder: ecdsa-with-SHA256, Response verify OK', { skip: opensslMissing }, async () => {
      const request = opensslRequest(['a', 'b', 'c'], '-sha256');
      const response = await respond(ecResponder, request, parseOcspRequest(request).nonce);
      const run = openssl({ ...files, 'req.der': request, 'resp.der': response }, ['ocsp', '-reqin', 'req.der', '-respin', 'resp.der', '-CAfile', 'ca.pem', '-resp_text']);
      assert.equal(run.status, 0, run.output);
      assert.match(run.output, /Response verify OK/);
      assert.match(run.output, /Signature Algorithm: ecdsa-with-SHA256/);
      assert.match(run.output, /Cert Status: good[\s\S]*Cert Status: revoked[\s\S]*Revocation Reason: keyCompromise \(0x1\)[\s\S]*Cert Status: unknown/);
      assert.match(run.output, /Hash Algorithm: sha256/);
      assert.doesNotMatch(run.output, /WARNING/);
    });
  });

  describe('response encoding', () => {
    test('times rounded down to the second, CertID echoed byte for byte, responder certificate included', async () => {
      const request = opensslRequestOrBuilt();
      const { certIds, nonce } = parseOcspRequest(request);
      const response = await buildOcspResponse({
        responder: { certificate: rsaResponder.certificate, privateKey: rsaResponder.keys.privateKey },
        producedAt: new Date('2026-03-04T05:06:07.999Z'), nonce,
        answers: [{ certId: certIds[0]!, certStatus: { status: 'revoked', revokedAt: REVOKED_AT, reason: 'certificateHold' }, thisUpdate: new Date('2026-03-04T05:06:00.500Z') }],
      });
      const outer = AsnConvert.parse(response, OCSPResponse);
      assert.equal(outer.responseStatus, 0);
      assert.equal(outer.responseBytes!.responseType, '1.3.6.1.5.5.7.48.1.1');
      const basic = AsnConvert.parse(outer.responseBytes!.response, BasicOCSPResponse);
      const data = basic.tbsResponseData;
      assert.equal(data.producedAt.toISOString(), '2026-03-04T05:06:07.000Z');
      const single = data.responses[0]!;
      assert.equal(single.thisUpdate.toISOString(), '2026-03-04T05:06:00.000Z');
      assert.equal(single.nextUpdate, undefined);
      assert.equal(single.certStatus.revoked!.revocationTime.toISOString(), '2026-01-02T03:04:05.000Z');
      assert.equal(single.certStatus.revoked!.revocationReason!.reason, 6, 'certificateHold');
      assert.equal(hex(AsnConvert.serialize(single.certID)), hex(certIds[0]!.raw));
      assert.equal(basic.certs!.length, 1);
      assert.equal(hex(AsnConvert.serialize(basic.certs![0]!)), hex(rsaResponder.certificate));
      assert.equal(hex(data.responseExtensions![0]!.extnValue.buffer), hex(nonce!));
      assert.equal(data.responseExtensions![0]!.extnID, id_pkix_ocsp_nonce);
      // Encoded without fractions: tag 18, 15 octets, 'YYYYMMDDHHMMSSZ' (asn1-schema would read fractions back just the same).
      for (const time of ['20260304050607Z', '20260304050600Z', '20260102030405Z']) {
        assert.ok(Buffer.from(response).includes(Buffer.concat([Buffer.of(0x18, 0x0f), Buffer.from(time)])), time);
      }
      // The signature verifies with WebCrypto too, over the tbsResponseData bytes.
      const verified = await webcrypto.subtle.verify('RSASSA-PKCS1-v1_5', rsaResponder.keys.publicKey, basic.signature, basic.tbsResponseDataRaw!);
      assert.ok(verified);
    });

    test('createOcspSigner: one prepared signer gives the same responses, with any mix of answers', async () => {
      const { certIds } = parseOcspRequest(opensslRequestOrBuilt());
      const signer = await createOcspSigner({ certificate: rsaResponder.certificate, privateKey: rsaResponder.keys.privateKey });
      const answers = answersFor([certIds[0]!, certIds[0]!, certIds[0]!]);
      const [one, two] = await Promise.all([signer.sign(now, answers), signer.sign(now, answers)]);
      // RSASSA-PKCS1-v1_5 is deterministic: the same input signs the same.
      assert.equal(hex(one!), hex(two!));
      const basic = AsnConvert.parse(AsnConvert.parse(one!, OCSPResponse).responseBytes!.response, BasicOCSPResponse);
      assert.deepEqual(basic.tbsResponseData.responses.map((r) => Object.keys(r.certStatus).find((k) => (r.certStatus as never)[k] !== undefined)), ['good', 'revoked', 'unknown']);
    });

    test('misuse is a TypeError: wrong key for the certificate, unsupported key, no answers, bad dates, bad reason', async () => {
      const certificate = rsaResponder.certificate;
      await assert.rejects(createOcspSigner({ certificate, privateKey: ca.keys.privateKey }), TypeError);
      await assert.rejects(createOcspSigner({ certificate, privateKey: ecResponder.keys.privateKey }), TypeError);
      const p384 = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, false, ['sign', 'verify']);
      await assert.rejects(createOcspSigner({ certificate, privateKey: p384.privateKey }), TypeError);
      await assert.rejects(createOcspSigner({ certificate: Uint8Array.of(1, 2, 3), privateKey: rsaResponder.keys.privateKey }), TypeError);
      const signer = await createOcspSigner({ certificate, privateKey: rsaResponder.keys.privateKey });
      const certId = parseOcspRequest(opensslRequestOrBuilt()).certIds[0]!;
      await assert.rejects(signer.sign(now, []), TypeError);
      await assert.rejects(signer.sign(new Date(Number.NaN), [{ certId, certStatus: { status: 'good' }, thisUpdate: now }]), TypeError);
      await assert.rejects(signer.sign(now, [{ certId, certStatus: { status: 'good' }, thisUpdate: now, nextUpdate: now }]), TypeError);
      await assert.rejects(signer.sign(now, [{ certId, certStatus: { status: 'revoked', revokedAt: now, reason: 'unspecified' as never }, thisUpdate: now }]), TypeError);
      await assert.rejects(signer.sign(now, [{ certId, certStatus: { status: 'bogus' } as never, thisUpdate: now }]), TypeError);
      await assert.rejects(signer.sign(now, [{ certId, certStatus: { status: 'good' }, thisUpdate: now }], new Uint8Array(0)), TypeError);
    });
  });

  describe('malformed requests', () => {
    test('garbage, truncated, empty, trailing bytes, BER lengths, a CRL, a certificate: OcspMalformedRequest', async () => {
      const request = opensslRequestOrBuilt();
      const crl = await x509.X509CrlGenerator.create({
        issuer: ca.certificate.subjectName, thisUpdate: now, nextUpdate: new Date(now.getTime() + DAY),
        entries: [{ serialNumber: '0a01', revocationDate: REVOKED_AT, reason: x509.X509CrlReason.keyCompromise }],
        signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as webcrypto.Algorithm, signingKey: ca.keys.privateKey,
      }, webcrypto);
      // Indefinite length (BER): 30 80 … 00 00 around the same content.
      const content = request.subarray(request[1]! & 0x80 ? 2 + (request[1]! & 0x7f) : 2);
      const indefinite = Uint8Array.of(0x30, 0x80, ...content, 0, 0);
      // A length in more octets than needed (BER): 30 83 00 LL LL.
      const padded = Uint8Array.of(0x30, 0x83, 0x00, content.length >> 8, content.length & 0xff, ...content);
      const cases: Record<string, Uint8Array> = {
        garbage: new TextEncoder().encode('GET / HTTP/1.1\r\nHost: ocsp.example\r\n\r\n'),
        'random bytes': Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 0xff),
        truncated: request.subarray(0, request.length - 1),
        'only the header': request.subarray(0, 2),
        empty: new Uint8Array(0),
        'a trailing byte': Uint8Array.of(...request, 0),
        'a second request after the first': Uint8Array.of(...request, ...request),
        'indefinite length': indefinite,
        'non-minimal length': padded,
        'a CRL': new Uint8Array(crl.rawData),
        'a certificate': user.a,
        'an OCSP response': buildOcspErrorResponse('malformedRequest'),
      };
      assert.doesNotThrow(() => parseOcspRequest(Uint8Array.of(...request.subarray(0, request.length - content.length), ...content)), 'the content itself is fine');
      for (const [name, der] of Object.entries(cases)) assert.throws(() => parseOcspRequest(der), OcspMalformedRequest, name);
    });

    test('requests built field by field: no CertID, odd hashes, bad nonces and extensions, unknown hash algorithm', () => {
      const good = new CertID({
        hashAlgorithm: new AlgorithmIdentifier({ algorithm: '1.3.14.3.2.26', parameters: Uint8Array.of(5, 0).buffer }),
        issuerNameHash: new OctetString(new Uint8Array(20)), issuerKeyHash: new OctetString(new Uint8Array(20)), serialNumber: Uint8Array.of(0x01).buffer,
      });
      const build = (certIds: CertID[], extensions?: Extension[]) => new Uint8Array(AsnConvert.serialize(new OCSPRequest({
        tbsRequest: new TBSRequest({ requestList: certIds.map((reqCert) => new Request({ reqCert })), ...(extensions ? { requestExtensions: extensions } : {}) }),
      })));
      const nonce = (octets: number) => new Extension({ extnID: id_pkix_ocsp_nonce, extnValue: new OctetString(AsnConvert.serialize(new OctetString(new Uint8Array(octets)))) });

      assert.equal(parseOcspRequest(build([good])).certIds[0]!.serialHex, '01', 'the baseline parses');
      assert.equal(parseOcspRequest(build([good], [nonce(128)])).nonce!.length, 131, '128 octets is the RFC 9654 maximum');
      const other = parseOcspRequest(build([new CertID({ ...good, hashAlgorithm: new AlgorithmIdentifier({ algorithm: '2.16.840.1.101.3.4.2.3' }), issuerNameHash: new OctetString(new Uint8Array(64)) })]));
      assert.equal(other.certIds[0]!.hashAlgorithm, 'other', 'SHA-512 is read, to be answered unknown');
      const negative = parseOcspRequest(build([new CertID({ ...good, serialNumber: Uint8Array.of(0xff, 0x01).buffer })]));
      assert.equal(negative.certIds[0]!.serialHex, '-ff', 'a negative serial cannot look like a positive one');

      const bad: Record<string, Uint8Array> = {
        'no CertID': build([]),
        'a 19-octet SHA-1 hash': build([new CertID({ ...good, issuerKeyHash: new OctetString(new Uint8Array(19)) })]),
        'SHA-1 with parameters other than NULL': build([new CertID({ ...good, hashAlgorithm: new AlgorithmIdentifier({ algorithm: '1.3.14.3.2.26', parameters: Uint8Array.of(4, 0).buffer }) })]),
        'a non-minimal serial': build([new CertID({ ...good, serialNumber: Uint8Array.of(0x00, 0x01).buffer })]),
        'an empty nonce': build([good], [nonce(0)]),
        'a 129-octet nonce': build([good], [nonce(129)]),
        'two nonces': build([good], [nonce(16), nonce(16)]),
        'a critical unknown extension': build([good], [new Extension({ extnID: '1.2.3.4', critical: true, extnValue: new OctetString(Uint8Array.of(5, 0)) })]),
      };
      for (const [name, der] of Object.entries(bad)) assert.throws(() => parseOcspRequest(der), OcspMalformedRequest, name);
      // A non-critical extension we do not know is ignored (RFC 6960 §4.4).
      assert.equal(parseOcspRequest(build([good], [new Extension({ extnID: '1.2.3.4', extnValue: new OctetString(Uint8Array.of(5, 0)) })])).certIds.length, 1);
    });

    test('buildOcspErrorResponse: openssl reads each status; no responseBytes', { skip: opensslMissing }, () => {
      const expected = { malformedRequest: 'malformedrequest (1)', internalError: 'internalerror (2)', tryLater: 'trylater (3)', unauthorized: 'unauthorized (6)' } as const;
      for (const [status, text] of Object.entries(expected)) {
        const der = buildOcspErrorResponse(status as keyof typeof expected);
        assert.equal(AsnConvert.parse(der, OCSPResponse).responseBytes, undefined);
        const run = openssl({ 'resp.der': der }, ['ocsp', '-respin', 'resp.der', '-resp_text', '-noverify']);
        assert.match(run.output, new RegExp(`^Responder Error: ${text.replace(/[()]/g, '\\$&')}$`, 'm'), status);
      }
      assert.equal(hex(buildOcspErrorResponse('malformedRequest')), '30030a0101');
      assert.throws(() => buildOcspErrorResponse('successful' as never), TypeError);
    });
  });

  describe('GET (RFC 6960 §A.1)', () => {
    test('round trip of a request through the URL path, percent-encoded or with raw + and /', () => {
      const request = opensslRequestOrBuilt();
      const base64 = Buffer.from(request).toString('base64');
      assert.deepEqual(decodeOcspGetPath(encodeURIComponent(base64)), request);
      assert.deepEqual(decodeOcspGetPath(base64), request);
      assert.deepEqual(parseOcspRequest(decodeOcspGetPath(encodeURIComponent(base64))), parseOcspRequest(request));
      // 0xfb 0xff is '+/8=' in base64: every special character at once.
      for (const path of ['%2B%2F8%3D', '%2b%2f8%3d', '+/8=', '+%2F8', '+/8']) assert.deepEqual(decodeOcspGetPath(path), Uint8Array.of(0xfb, 0xff), path);
    });

    test('what is not base64 is an OcspMalformedRequest', () => {
      for (const path of ['', '%ZZ', '%', 'ab$c', 'A', 'AB=C', 'A===', '-_8=', 'ab cd']) assert.throws(() => decodeOcspGetPath(path), OcspMalformedRequest, path);
    });
  });

  describe('responder certificate (RFC 6960 §4.2.2.2)', () => {
    test('subject, KeyUsage, EKU OCSPSigning, nocheck, AKI/SKI; openssl verify -purpose ocsphelper OK', { skip: opensslMissing }, () => {
      const cert = new x509.X509Certificate(rsaResponder.certificate);
      assert.deepEqual([...cert.extensions].map((e) => [e.type, e.critical]), [
        ['2.5.29.15', true], ['2.5.29.37', false], ['1.3.6.1.5.5.7.48.1.5', false], ['2.5.29.35', false], ['2.5.29.14', false],
      ]);
      assert.equal(hex(cert.getExtension('1.3.6.1.5.5.7.48.1.5')!.value), '0500');
      assert.equal(cert.getExtension(x509.AuthorityKeyIdentifierExtension)!.keyId, ca.certificate.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId);
      assert.equal(opensslX509(rsaResponder.certificate, '-subject', '-nameopt', 'RFC2253').trim(),
        'subject=CN=OCSP Responder,OU=JPKI for user authentication,O=JPKI,C=JP');
      assert.equal(opensslX509(strangerResponder.certificate, '-subject', '-nameopt', 'RFC2253').trim(),
        'subject=CN=OCSP Responder,OU=JPKI for digital signature,O=JPKI,C=JP');
      const text = opensslX509(ecResponder.certificate, '-text');
      assert.match(text, /X509v3 Key Usage: critical\n\s+Digital Signature\n/);
      assert.match(text, /X509v3 Extended Key Usage: \n\s+OCSP Signing\n/);
      assert.match(text, /OCSP No Check: \n/);
      assert.match(text, /Public Key Algorithm: id-ecPublicKey/);
      assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
      const run = openssl({ 'ca.pem': files['ca.pem']!, 'r.pem': pem(rsaResponder.certificate) }, ['verify', '-x509_strict', '-purpose', 'ocsphelper', '-CAfile', 'ca.pem', 'r.pem']);
      assert.equal(run.status, 0, run.output);
    });

    test('misuse is a TypeError: the other CA\'s kind, a P-384 key, a zero serial, outliving the CA', async () => {
      const ec384 = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, false, ['sign', 'verify']);
      const base = {
        issuer: { certificate: ca.certificate, privateKey: ca.keys.privateKey }, publicKey: rsaResponder.keys.publicKey,
        serialNumber: Uint8Array.of(1), notBefore: now, notAfter: new Date(now.getTime() + DAY), kind: 'auth' as const,
      };
      await assert.doesNotReject(buildOcspResponderCertificate(base));
      await assert.rejects(buildOcspResponderCertificate({ ...base, kind: 'sign' }), TypeError);
      await assert.rejects(buildOcspResponderCertificate({ ...base, publicKey: ec384.publicKey }), TypeError);
      await assert.rejects(buildOcspResponderCertificate({ ...base, publicKey: rsaResponder.keys.privateKey }), TypeError);
      await assert.rejects(buildOcspResponderCertificate({ ...base, serialNumber: Uint8Array.of(0) }), TypeError);
      await assert.rejects(buildOcspResponderCertificate({ ...base, notAfter: new Date(now.getTime() + 4000 * DAY) }), TypeError);
    });
  });

  /**
   * A request for a, b, c with a nonce: from openssl when it is there, otherwise built with
   * @peculiar/asn1-ocsp, so the tests that do not need openssl run without it.
   */
  function opensslRequestOrBuilt(): Uint8Array {
    if (!opensslMissing) return opensslRequest(['a', 'b', 'c']);
    const hashes = certIdHashes(ca.der);
    const reqCert = (serial: Uint8Array) => new CertID({
      hashAlgorithm: new AlgorithmIdentifier({ algorithm: '1.3.14.3.2.26', parameters: Uint8Array.of(5, 0).buffer }),
      issuerNameHash: new OctetString(hashes.sha1.nameHash), issuerKeyHash: new OctetString(hashes.sha1.keyHash),
      serialNumber: (serial[0]! & 0x80 ? Uint8Array.of(0, ...serial) : serial).slice().buffer,
    });
    return new Uint8Array(AsnConvert.serialize(new OCSPRequest({
      tbsRequest: new TBSRequest({
        requestList: [serials.a, serials.b, serials.c].map((s) => new Request({ reqCert: reqCert(s) })),
        requestExtensions: [new Extension({ extnID: id_pkix_ocsp_nonce, extnValue: new OctetString(AsnConvert.serialize(new OctetString(new Uint8Array(16).fill(7)))) })],
      }),
    })));
  }
});
