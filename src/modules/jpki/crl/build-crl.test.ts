// buildCrl (RFC 5280 §5): read by the real OpenSSL (text, signature, `verify -crl_check` on JPKI user certificates) and by @peculiar/x509.
import 'reflect-metadata';
import { test, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as x509 from '@peculiar/x509';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CertificateList } from '@peculiar/asn1-x509';
import { missingTool } from '../../../../test/support/require-tool.ts';
import { opensslIn } from '../../../../test/support/openssl.ts';
import { buildCaCertificate, buildSigningCertificate, buildUserAuthCertificate, type CaKind } from '../certificate-profiles.ts';
import { buildCrl, type CrlEntry } from './build-crl.ts';

const RSA = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' } as const;
const opensslMissing = missingTool('openssl', 'apt-get install -y openssl');
/** Inside every validity below and between the CRLs' thisUpdate and nextUpdate, so nothing depends on today's date. */
const AT_TIME = String(Date.UTC(2026, 0, 1) / 1000);
const THIS_UPDATE = new Date('2025-12-31T15:00:00Z');
const NEXT_UPDATE = new Date('2026-01-02T15:00:00Z');
const CERT_VALIDITY = { notBefore: new Date('2025-10-27T01:02:03Z'), notAfter: new Date('2030-02-17T14:59:59Z') };

/** One entry per reason, deliberately not in serial order; 5678 and 1234 are real certificates issued below. */
const AUTH_ENTRIES: CrlEntry[] = [
  { serialHex: '5678', revokedAt: new Date('2025-12-01T01:02:03.999Z'), reason: 'affiliationChanged' },
  // High first bit: needs the 00 sign octet.
  { serialHex: '9abc', revokedAt: new Date('2025-11-02T00:00:00Z'), reason: 'keyCompromise' },
  // Leading zeros as a DER-minded caller might store them: written as the minimal INTEGER 01.
  { serialHex: '0001', revokedAt: new Date('2025-11-03T00:00:00Z'), reason: 'superseded' },
  // 20 octets, the RFC 5280 maximum.
  { serialHex: `7f${'ee'.repeat(19)}`, revokedAt: new Date('2025-11-04T00:00:00Z'), reason: 'cessationOfOperation' },
  { serialHex: '1234', revokedAt: new Date('2025-11-05T00:00:00Z'), reason: 'certificateHold' },
];

function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  // The CA key as the key store hands it out: non-extractable.
  return webcrypto.subtle.generateKey(RSA, false, ['sign', 'verify']);
}

const openssl = opensslIn;

/** PEM with the label OpenSSL reads (x509's X509Crl.toString('pem') writes `BEGIN CRL`, which OpenSSL 3.0 does not). */
function pem(der: Uint8Array, label: 'X509 CRL' | 'CERTIFICATE'): string {
  const lines = Buffer.from(der).toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function crlText(crl: Uint8Array, ...extra: string[]): { status: number | null; output: string } {
  return openssl({ 'crl.der': crl }, (dir) => ['crl', '-inform', 'DER', '-in', join(dir, 'crl.der'), '-noout', ...extra]);
}

function verifyWithCrl(ca: Uint8Array, crl: Uint8Array, cert: Uint8Array): { status: number | null; output: string } {
  return openssl({ 'ca.pem': pem(ca, 'CERTIFICATE'), 'crl.pem': pem(crl, 'X509 CRL'), 'cert.pem': pem(cert, 'CERTIFICATE') }, (dir) => [
    'verify', '-x509_strict', '-attime', AT_TIME, '-crl_check', '-CAfile', join(dir, 'ca.pem'), '-CRLfile', join(dir, 'crl.pem'), join(dir, 'cert.pem'),
  ]);
}

/**
 * The top-level fields of a certificate's or CRL's TBS part, read with asn1js independently of build-crl.ts.
 * asn1js stops at 10,000 nodes by default (about 1,250 CRL entries; @peculiar/x509 inherits that limit), hence maxNodes.
 */
function tbsFields(der: Uint8Array): asn1js.AsnType[] {
  const outer = asn1js.fromBER(der, { maxNodes: 1_000_000 }).result as asn1js.Sequence;
  return (outer.valueBlock.value[0] as asn1js.Sequence).valueBlock.value;
}

function colonHex(hex: string): string {
  return hex.toUpperCase().match(/../g)!.join(':');
}

describe('buildCrl', () => {
  const ca = {} as Record<CaKind, { keys: webcrypto.CryptoKeyPair; der: Uint8Array; certificate: x509.X509Certificate }>;
  const certs = {} as Record<'authRevoked' | 'authGood' | 'signRevoked' | 'signGood', Uint8Array>;
  let authCrl: Uint8Array;
  let emptyCrl: Uint8Array;

  before(async () => {
    for (const kind of ['auth', 'sign'] as const) {
      const keys = await generateKeys();
      const certificate = await buildCaCertificate({
        kind, keys, serialNumber: Uint8Array.of(kind === 'auth' ? 1 : 2), notBefore: new Date('2023-07-16T03:04:05Z'), notAfter: new Date('2033-07-15T14:59:59Z'),
      });
      ca[kind] = { keys, der: new Uint8Array(certificate.rawData), certificate };
    }
    const card = await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']);
    const subjectPublicKeyInfo = new Uint8Array(await webcrypto.subtle.exportKey('spki', card.publicKey));
    const authIssuer = { certificate: ca.auth.certificate, privateKey: ca.auth.keys.privateKey };
    certs.authRevoked = await buildUserAuthCertificate({ issuer: authIssuer, subjectPublicKeyInfo, serialNumber: Uint8Array.of(0x56, 0x78), ...CERT_VALIDITY, commonName: 'REVOKED' });
    certs.authGood = await buildUserAuthCertificate({ issuer: authIssuer, subjectPublicKeyInfo, serialNumber: Uint8Array.of(0x56, 0x79), ...CERT_VALIDITY, commonName: 'GOOD' });
    const signing = {
      issuer: { certificate: ca.sign.certificate, privateKey: ca.sign.keys.privateKey }, subjectPublicKeyInfo, ...CERT_VALIDITY,
      subject: { prefectureRomaji: 'Tokyo-to', municipalityRomaji: 'Mitaka-shi', requestTime: CERT_VALIDITY.notBefore, sequence: 1, windowCode: '13204A001' },
      attributes: { name: '三鷹　太郎', nameSubstitute: '', sex: 'male', birthDate: '1990-01-02', address: '東京都三鷹市下連雀九丁目１１番１号', addressSubstitute: '' },
      crl: { prefecture: '東京都', municipality: '三鷹市' },
    } as const;
    certs.signRevoked = await buildSigningCertificate({ ...signing, serialNumber: Uint8Array.of(0x9a, 0xbc) });
    certs.signGood = await buildSigningCertificate({ ...signing, serialNumber: Uint8Array.of(0x9a, 0xbd) });
    authCrl = await buildCrl({
      issuer: { certificate: ca.auth.der, privateKey: ca.auth.keys.privateKey },
      thisUpdate: THIS_UPDATE, nextUpdate: NEXT_UPDATE, crlNumber: 42n, entries: AUTH_ENTRIES,
    });
    // A generator rather than an array: entries is any iterable.
    function* none(): Generator<CrlEntry> {}
    emptyCrl = await buildCrl({ issuer: { certificate: ca.auth.der, privateKey: ca.auth.keys.privateKey }, thisUpdate: THIS_UPDATE, nextUpdate: NEXT_UPDATE, crlNumber: 0n, entries: none() });
  });

  describe('read by OpenSSL', () => {
    test('-text: v2, issuer, Last/Next Update, CRL Number, AKI, each serial with its date and reason, in input order', { skip: opensslMissing }, () => {
      const { status, output } = crlText(authCrl, '-text');
      assert.equal(status, 0, output);
      assert.match(output, /Version 2 \(0x1\)/);
      assert.match(output, /Signature Algorithm: sha256WithRSAEncryption\n\s+Issuer: C = JP, O = JPKI, OU = JPKI for user authentication, OU = Japan Agency for Local Authority Information Systems\n/);
      assert.match(output, /Last Update: Dec 31 15:00:00 2025 GMT\n\s+Next Update: Jan {2}2 15:00:00 2026 GMT\n/);
      // "…: \n" and not "…: critical\n": both CRL extensions are non-critical.
      const ski = ca.auth.certificate.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId;
      assert.match(output, new RegExp(`X509v3 Authority Key Identifier: \\n\\s+${colonHex(ski)}\\n`));
      assert.match(output, /X509v3 CRL Number: \n\s+42\n/);
      const revoked = [...output.matchAll(/Serial Number: ([0-9A-F]+)\n\s+Revocation Date: (.+)\n\s+CRL entry extensions:\n\s+X509v3 CRL Reason Code: \n\s+(.+)\n/g)]
        .map((m) => [m[1], m[2], m[3]]);
      assert.deepEqual(revoked, [
        // The milliseconds of 01:02:03.999 are dropped, not rounded up.
        ['5678', 'Dec  1 01:02:03 2025 GMT', 'Affiliation Changed'],
        ['9ABC', 'Nov  2 00:00:00 2025 GMT', 'Key Compromise'],
        ['01', 'Nov  3 00:00:00 2025 GMT', 'Superseded'],
        [`7F${'EE'.repeat(19)}`, 'Nov  4 00:00:00 2025 GMT', 'Cessation Of Operation'],
        ['1234', 'Nov  5 00:00:00 2025 GMT', 'Certificate Hold'],
      ]);
      assert.equal(output.match(/Serial Number:/g)?.length, 5);
      assert.doesNotMatch(output, /Hold Instruction/, 'no holdInstructionCode (RFC 5280 §5.3.2 deprecates it)');
    });

    test('-CAfile: "verify OK" for the CA\'s key; "verify failure" for a CRL signed by another key', { skip: opensslMissing }, async () => {
      const caPem = pem(ca.auth.der, 'CERTIFICATE');
      const check = (crl: Uint8Array) => openssl({ 'crl.der': crl, 'ca.pem': caPem }, (dir) => ['crl', '-inform', 'DER', '-in', join(dir, 'crl.der'), '-CAfile', join(dir, 'ca.pem'), '-noout']);
      assert.match(check(authCrl).output, /^verify OK$/m);
      const stranger = await generateKeys();
      const forged = await buildCrl({
        issuer: { certificate: ca.auth.der, privateKey: stranger.privateKey }, thisUpdate: THIS_UPDATE, nextUpdate: NEXT_UPDATE, crlNumber: 42n, entries: AUTH_ENTRIES,
      });
      // OpenSSL 3.0 exits 0 either way: only the message tells.
      const result = check(forged);
      assert.match(result.output, /verify failure/);
      assert.doesNotMatch(result.output, /verify OK/);
    });

    test('verify -crl_check (auth CA, DirName CRL DP): the revoked certificate is error 23, its neighbour is OK', { skip: opensslMissing }, () => {
      const revoked = verifyWithCrl(ca.auth.der, authCrl, certs.authRevoked);
      assert.equal(revoked.status, 2, revoked.output);
      assert.match(revoked.output, /error 23 at 0 depth lookup: certificate revoked/);
      const good = verifyWithCrl(ca.auth.der, authCrl, certs.authGood);
      assert.equal(good.status, 0, good.output);
      assert.match(good.output, /cert\.pem: OK/);
    });

    test('verify -crl_check (sign CA, municipality DirName CRL DP, serial with the sign octet): revoked vs OK', { skip: opensslMissing }, async () => {
      // Our certificates' CRL DPs name a DirName, and this full CRL carries no issuingDistributionPoint:
      // OpenSSL still takes it as covering them (a CRL without IDP covers every DP of its issuer).
      const signCrl = await buildCrl({
        issuer: { certificate: ca.sign.der, privateKey: ca.sign.keys.privateKey }, thisUpdate: THIS_UPDATE, nextUpdate: NEXT_UPDATE, crlNumber: 1n,
        entries: [{ serialHex: '9abc', revokedAt: new Date('2025-12-01T00:00:00Z'), reason: 'keyCompromise' }],
      });
      const revoked = verifyWithCrl(ca.sign.der, signCrl, certs.signRevoked);
      assert.equal(revoked.status, 2, revoked.output);
      assert.match(revoked.output, /error 23 at 0 depth lookup: certificate revoked/);
      const good = verifyWithCrl(ca.sign.der, signCrl, certs.signGood);
      assert.equal(good.status, 0, good.output);
      // The other CA's CRL does not count for this CA's certificates.
      const wrongCa = verifyWithCrl(ca.sign.der, authCrl, certs.signGood);
      assert.notEqual(wrongCa.status, 0, wrongCa.output);
    });

    test('an empty CRL: "No Revoked Certificates", CRL Number 0, and the certificate revoked on the other CRL passes', { skip: opensslMissing }, () => {
      const text = crlText(emptyCrl, '-text').output;
      assert.match(text, /No Revoked Certificates\./);
      assert.match(text, /X509v3 CRL Number: \n\s+0\n/);
      const result = verifyWithCrl(ca.auth.der, emptyCrl, certs.authRevoked);
      assert.equal(result.status, 0, result.output);
    });

    test('verify -crl_check: a CRL signed by another key is error 8, one past its nextUpdate is error 12', { skip: opensslMissing }, async () => {
      const stranger = await generateKeys();
      const forged = await buildCrl({
        issuer: { certificate: ca.auth.der, privateKey: stranger.privateKey }, thisUpdate: THIS_UPDATE, nextUpdate: NEXT_UPDATE, crlNumber: 43n, entries: [],
      });
      assert.match(verifyWithCrl(ca.auth.der, forged, certs.authGood).output, /error 8 at 0 depth lookup: CRL signature failure/);
      const expired = await buildCrl({
        issuer: { certificate: ca.auth.der, privateKey: ca.auth.keys.privateKey },
        thisUpdate: new Date('2025-12-30T00:00:00Z'), nextUpdate: new Date('2025-12-31T00:00:00Z'), crlNumber: 44n, entries: [],
      });
      assert.match(verifyWithCrl(ca.auth.der, expired, certs.authGood).output, /error 12 at 0 depth lookup: CRL has expired/);
    });
  });

  describe('structure', () => {
    test('an empty CRL omits revokedCertificates (RFC 5280 §5.1.2.6), from any iterable', async () => {
      // version, signature, issuer, thisUpdate, nextUpdate, [0] crlExtensions: no empty SEQUENCE in between.
      const fields = tbsFields(emptyCrl);
      assert.deepEqual(fields.map((f) => [f.idBlock.tagClass, f.idBlock.tagNumber]), [[1, 2], [1, 16], [1, 16], [1, 23], [1, 23], [3, 0]]);
      assert.deepEqual(new x509.X509Crl(emptyCrl).entries, []);
    });

    test('issuer is the CA certificate\'s subject byte for byte, also when the CA certificate is not self-signed', async () => {
      // Fields of TBSCertificate: [0] version, serial, signature, issuer, validity, subject; of TBSCertList: version, signature, issuer.
      assert.deepEqual(new Uint8Array(tbsFields(authCrl)[2]!.valueBeforeDecodeView), new Uint8Array(tbsFields(ca.auth.der)[5]!.valueBeforeDecodeView));
      // A CA certificate issued by another CA (as a key-rollover link certificate is): subject and issuer differ.
      const keys = await generateKeys();
      const linked = await x509.X509CertificateGenerator.create({
        serialNumber: '0a', subject: 'C=JP, O=JPKI, OU=Next generation', issuer: ca.auth.certificate.subject,
        notBefore: new Date('2024-01-01T00:00:00Z'), notAfter: new Date('2033-01-01T00:00:00Z'), publicKey: keys.publicKey, signingKey: ca.auth.keys.privateKey,
        extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true), new x509.BasicConstraintsExtension(true, undefined, true)],
      }, webcrypto);
      const linkedDer = new Uint8Array(linked.rawData);
      const crl = await buildCrl({ issuer: { certificate: linkedDer, privateKey: keys.privateKey }, thisUpdate: THIS_UPDATE, nextUpdate: NEXT_UPDATE, crlNumber: 1n, entries: [] });
      assert.deepEqual(new Uint8Array(tbsFields(crl)[2]!.valueBeforeDecodeView), new Uint8Array(tbsFields(linkedDer)[5]!.valueBeforeDecodeView));
      assert.equal(new x509.X509Crl(crl).issuer, 'C=JP, O=JPKI, OU=Next generation');
      // No SKI in this certificate: the AKI falls back to the SHA-1 key id, as certificate-profiles.ts does.
      const aki = new x509.X509Crl(crl).getExtension(x509.AuthorityKeyIdentifierExtension)!;
      assert.equal(aki.keyId, Buffer.from(await linked.publicKey.getKeyIdentifier(webcrypto)).toString('hex'));
    });

    test('signature algorithm sha256WithRSAEncryption in both places, version v2', () => {
      const parsed = AsnConvert.parse(authCrl, CertificateList);
      assert.equal(parsed.tbsCertList.signature.algorithm, '1.2.840.113549.1.1.11');
      assert.equal(parsed.signatureAlgorithm.algorithm, '1.2.840.113549.1.1.11');
      assert.equal(parsed.tbsCertList.version, 1, 'v2');
    });

    test('UTCTime through 2049-12-31T23:59:59Z, GeneralizedTime from 2050 (RFC 5280 §5.1.2.4), milliseconds dropped', async () => {
      const crl = await buildCrl({
        issuer: { certificate: ca.auth.der, privateKey: ca.auth.keys.privateKey },
        thisUpdate: new Date('2049-12-31T23:59:59.999Z'), nextUpdate: new Date('2050-01-01T00:00:00.500Z'), crlNumber: 7n,
        entries: [
          { serialHex: '01', revokedAt: new Date('2049-12-31T23:59:59.999Z'), reason: 'superseded' },
          { serialHex: '02', revokedAt: new Date('2050-01-01T00:00:00.000Z'), reason: 'superseded' },
          { serialHex: '03', revokedAt: new Date('1950-01-01T00:00:00.000Z'), reason: 'superseded' },
          { serialHex: '04', revokedAt: new Date('9999-12-31T23:59:59.000Z'), reason: 'superseded' },
        ],
      });
      const tbs = AsnConvert.parse(crl, CertificateList).tbsCertList;
      const form = (time: { utcTime?: Date; generalTime?: Date }) => (time.utcTime ? ['utc', time.utcTime.toISOString()] : ['general', time.generalTime!.toISOString()]);
      assert.deepEqual(form(tbs.thisUpdate), ['utc', '2049-12-31T23:59:59.000Z']);
      assert.deepEqual(form(tbs.nextUpdate!), ['general', '2050-01-01T00:00:00.000Z']);
      assert.deepEqual(tbs.revokedCertificates!.map((entry) => form(entry.revocationDate)), [
        ['utc', '2049-12-31T23:59:59.000Z'], ['general', '2050-01-01T00:00:00.000Z'], ['utc', '1950-01-01T00:00:00.000Z'], ['general', '9999-12-31T23:59:59.000Z'],
      ]);
      // The exact bytes: no fractional seconds, Z.
      const raw = Buffer.from(crl).toString('latin1');
      assert.ok(raw.includes('491231235959Z') && raw.includes('20500101000000Z') && raw.includes('500101000000Z') && raw.includes('99991231235959Z'));
      assert.doesNotMatch(raw, /\d{12,14}\.\d+Z/);
    });

    test('round trip through @peculiar/x509: signature, names, dates, entries in input order with reasons, extensions', async () => {
      const crl = new x509.X509Crl(authCrl);
      assert.ok(await crl.verify({ publicKey: ca.auth.certificate }, webcrypto));
      assert.equal(crl.issuer, ca.auth.certificate.subject);
      assert.equal(crl.thisUpdate.toISOString(), THIS_UPDATE.toISOString());
      assert.equal(crl.nextUpdate?.toISOString(), NEXT_UPDATE.toISOString());
      assert.deepEqual(crl.entries.map((entry) => [entry.serialNumber, entry.reason, entry.revocationDate.toISOString()]), [
        ['5678', x509.X509CrlReason.affiliationChanged, '2025-12-01T01:02:03.000Z'],
        // x509 drops the sign octet, as openssl does.
        ['9abc', x509.X509CrlReason.keyCompromise, '2025-11-02T00:00:00.000Z'],
        ['01', x509.X509CrlReason.superseded, '2025-11-03T00:00:00.000Z'],
        [`7f${'ee'.repeat(19)}`, x509.X509CrlReason.cessationOfOperation, '2025-11-04T00:00:00.000Z'],
        ['1234', x509.X509CrlReason.certificateHold, '2025-11-05T00:00:00.000Z'],
      ]);
      for (const entry of crl.entries) assert.deepEqual(entry.extensions.map((e) => [e.type, e.critical]), [['2.5.29.21', false]], 'reasonCode only, non-critical');
      assert.deepEqual(crl.extensions.map((e) => [e.type, e.critical]), [['2.5.29.35', false], ['2.5.29.20', false]]);
      const aki = crl.getExtension(x509.AuthorityKeyIdentifierExtension)!;
      assert.equal(aki.keyId, ca.auth.certificate.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId);
      assert.equal(aki.certId, undefined, 'keyIdentifier only');
      const crlNumber = asn1js.fromBER(crl.getExtension('2.5.29.20')!.value).result as asn1js.Integer;
      assert.equal(crlNumber.toBigInt(), 42n);
    });

    test('the largest CRL number (2^159 - 1, 20 octets) round-trips', async () => {
      const der = await buildCrl({
        issuer: { certificate: ca.auth.der, privateKey: ca.auth.keys.privateKey }, thisUpdate: THIS_UPDATE, nextUpdate: NEXT_UPDATE, crlNumber: 2n ** 159n - 1n, entries: [],
      });
      const value = new x509.X509Crl(der).getExtension('2.5.29.20')!.value;
      assert.equal(value.byteLength, 22);
      assert.equal((asn1js.fromBER(value).result as asn1js.Integer).toBigInt(), 2n ** 159n - 1n);
    });

    test('30,000 entries: several internal write buffers, every entry and the signature intact', async () => {
      // 42 octets each (8-octet serial with a sign octet, UTCTime, reasonCode): 1.26 MB, past one 1 MiB buffer.
      const serial = (i: number) => (i + 1).toString(16).padStart(16, '8');
      const entries = Array.from({ length: 30_000 }, (_, i): CrlEntry => ({ serialHex: serial(i), revokedAt: new Date(Date.UTC(2025, 0, 1) + i * 1000), reason: 'superseded' }));
      const der = await buildCrl({ issuer: { certificate: ca.auth.der, privateKey: ca.auth.keys.privateKey }, thisUpdate: THIS_UPDATE, nextUpdate: NEXT_UPDATE, crlNumber: 9n, entries });
      const revoked = (tbsFields(der)[5] as asn1js.Sequence).valueBlock.value as asn1js.Sequence[];
      assert.equal(revoked.length, 30_000);
      revoked.forEach((entry, i) => {
        const [userCertificate, revocationDate] = entry.valueBlock.value as [asn1js.Integer, asn1js.UTCTime];
        assert.equal(Buffer.from(userCertificate.valueBlock.valueHexView).toString('hex'), `00${serial(i)}`);
        assert.equal(revocationDate.toDate().getTime(), entries[i]!.revokedAt.getTime());
      });
      // @peculiar/x509 cannot parse a CRL this long (see tbsFields), so the signature is checked on the raw TBS bytes.
      const outer = asn1js.fromBER(der, { maxNodes: 1_000_000 }).result as asn1js.Sequence;
      const [tbs, , signature] = outer.valueBlock.value as [asn1js.Sequence, asn1js.Sequence, asn1js.BitString];
      const publicKey = await ca.auth.certificate.publicKey.export({ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, ['verify'], webcrypto);
      assert.ok(await webcrypto.subtle.verify('RSASSA-PKCS1-v1_5', publicKey, signature.valueBlock.valueHexView, tbs.valueBeforeDecodeView));
    });
  });

  describe('caller misuse', () => {
    test('bad dates, CRL numbers, serials, reasons, keys and certificates are TypeErrors', async () => {
      const good = {
        issuer: { certificate: ca.auth.der, privateKey: ca.auth.keys.privateKey }, thisUpdate: THIS_UPDATE, nextUpdate: NEXT_UPDATE, crlNumber: 1n,
        entries: [{ serialHex: '01', revokedAt: THIS_UPDATE, reason: 'superseded' }] as CrlEntry[],
      };
      await buildCrl(good);
      const entry = good.entries[0]!;
      const ec = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
      const cases: Array<[string, Partial<typeof good> | Record<string, unknown>]> = [
        ['nextUpdate equal to thisUpdate', { nextUpdate: THIS_UPDATE }],
        ['nextUpdate before thisUpdate', { thisUpdate: NEXT_UPDATE, nextUpdate: THIS_UPDATE }],
        ['nextUpdate later only by milliseconds', { nextUpdate: new Date(THIS_UPDATE.getTime() + 999) }],
        ['invalid thisUpdate', { thisUpdate: new Date('nope') }],
        ['thisUpdate as a string', { thisUpdate: '2025-12-31T15:00:00Z' }],
        ['negative crlNumber', { crlNumber: -1n }],
        ['crlNumber of 2^159', { crlNumber: 2n ** 159n }],
        ['crlNumber as a number', { crlNumber: 1 }],
        ['empty serial', { entries: [{ ...entry, serialHex: '' }] }],
        ['zero serial', { entries: [{ ...entry, serialHex: '0000' }] }],
        ['non-hex serial', { entries: [{ ...entry, serialHex: 'xyz' }] }],
        ['0x-prefixed serial', { entries: [{ ...entry, serialHex: '0x12' }] }],
        ['serial of 21 octets', { entries: [{ ...entry, serialHex: `01${'00'.repeat(20)}` }] }],
        ['20-octet serial needing a sign octet', { entries: [{ ...entry, serialHex: `80${'00'.repeat(19)}` }] }],
        ['unknown reason', { entries: [{ ...entry, reason: 'unspecified' }] }],
        ['invalid revokedAt', { entries: [{ ...entry, revokedAt: new Date(Number.NaN) }] }],
        ['revokedAt before 1950', { entries: [{ ...entry, revokedAt: new Date('1949-12-31T23:59:59Z') }] }],
        ['entries not iterable', { entries: 5 }],
        ['a non-RSA key', { issuer: { certificate: ca.auth.der, privateKey: ec.privateKey } }],
        ['a public key', { issuer: { certificate: ca.auth.der, privateKey: ca.auth.keys.publicKey } }],
        ['a certificate that is not DER', { issuer: { certificate: Uint8Array.of(1, 2, 3), privateKey: ca.auth.keys.privateKey } }],
        ['a user certificate without cRLSign', { issuer: { certificate: certs.authGood, privateKey: ca.auth.keys.privateKey } }],
      ];
      for (const [what, change] of cases) {
        await assert.rejects(buildCrl({ ...good, ...change } as typeof good), TypeError, what);
      }
    });
  });
});
