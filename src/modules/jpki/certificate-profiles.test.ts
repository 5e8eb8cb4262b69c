// JPKI certificate profiles: §13 field by field, read back by @peculiar/x509 and by the real OpenSSL, chains that `openssl verify` accepts.
import 'reflect-metadata';
import { test, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, DirectoryString, SubjectAlternativeName, id_ce_subjectAltName } from '@peculiar/asn1-x509';
import { missingTool } from '../../../test/support/require-tool.ts';
import { opensslIn, opensslX509 } from '../../../test/support/openssl.ts';
import {
  BASIC_ATTRIBUTE_OID, JPKI_POLICY_OID, buildCaCertificate, buildSigningCertificate, buildUserAuthCertificate, caSubject,
  encodeBirthDate, encodeGender, readBasicAttributes, readCertificatePolicyOids, signingCommonName, type BasicAttributes,
} from './certificate-profiles.ts';

const RSA = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' } as const;
const opensslMissing = missingTool('openssl', 'apt-get install -y openssl');
/** Inside every validity below, so `openssl verify` does not depend on today's date. */
const AT_TIME = String(Date.UTC(2026, 0, 1) / 1000);

const attributes: BasicAttributes = {
  name: '三鷹　太郎',
  nameSubstitute: '',
  sex: 'male',
  birthDate: '1990-01-02',
  address: '東京都三鷹市下連雀九丁目１１番１号',
  addressSubstitute: '',
};

function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']);
}

const openssl = opensslIn;

/** OpenSSL 3.0 prints DirName bytes outside ASCII as `\E6\9D…` (or `\xE6` in the SAN's one-line form): back to UTF-8 text. */
function unescapeOpenssl(text: string): string {
  return text.replace(/(?:\\x?[0-9A-F]{2})+/g, (run) => Buffer.from(run.replace(/\\x?/g, ''), 'hex').toString('utf8'));
}

function pem(der: Uint8Array): string {
  return new x509.X509Certificate(der).toString('pem');
}

function verify(caDer: Uint8Array, certDer: Uint8Array, ...extra: string[]): { status: number | null; output: string } {
  return openssl({ 'ca.pem': pem(caDer), 'cert.pem': pem(certDer) }, (dir) => [
    'verify', '-x509_strict', '-attime', AT_TIME, ...extra, '-CAfile', join(dir, 'ca.pem'), join(dir, 'cert.pem'),
  ]);
}

/** [type OID, ASN.1 string kind, value] per RDN, straight from the DER. */
function rdns(der: Uint8Array, which: 'subject' | 'issuer'): Array<[string, string, string]> {
  const tbs = AsnConvert.parse(der, Certificate).tbsCertificate;
  return [...tbs[which]].map((rdn) => {
    assert.equal(rdn.length, 1, 'one attribute per RDN');
    const { type, value } = rdn[0]!;
    const kind = value.printableString !== undefined ? 'printable' : value.utf8String !== undefined ? 'utf8' : 'other';
    return [type, kind, value.toString()];
  });
}

const CA_RDNS = (ou: string): Array<[string, string, string]> => [
  ['2.5.4.6', 'printable', 'JP'],
  ['2.5.4.10', 'utf8', 'JPKI'],
  ['2.5.4.11', 'utf8', ou],
  ['2.5.4.11', 'utf8', 'Japan Agency for Local Authority Information Systems'],
];

describe('JPKI certificate profiles', () => {
  const ca = {} as Record<'sign' | 'auth', { keys: webcrypto.CryptoKeyPair; certificate: x509.X509Certificate }>;
  let cardSpki: Uint8Array;
  let signDer: Uint8Array;
  let authDer: Uint8Array;
  const validity = { notBefore: new Date('2025-10-27T01:02:03Z'), notAfter: new Date('2030-02-17T14:59:59Z') };

  before(async () => {
    for (const kind of ['sign', 'auth'] as const) {
      const keys = await generateKeys();
      const certificate = await buildCaCertificate({
        // The real 2023 serials and end date (spec §13.1), so the sizes compare with the real roots.
        kind, keys, serialNumber: kind === 'auth' ? Uint8Array.of(0x06, 0xd1, 0x80, 0x06) : Uint8Array.of(0x06, 0x7c, 0x6a, 0x21),
        notBefore: new Date('2023-07-16T03:04:05Z'), notAfter: new Date('2033-07-15T14:59:59Z'),
      });
      ca[kind] = { keys, certificate };
    }
    // The card generates its key pair inside and hands out only the SPKI.
    const card = await generateKeys();
    cardSpki = new Uint8Array(await webcrypto.subtle.exportKey('spki', card.publicKey));
    signDer = await buildSigningCertificate({
      issuer: { certificate: ca.sign.certificate, privateKey: ca.sign.keys.privateKey },
      subjectPublicKeyInfo: cardSpki, serialNumber: Uint8Array.of(0x12, 0x34), ...validity,
      subject: { prefectureRomaji: 'Tokyo-to', municipalityRomaji: 'Mitaka-shi', requestTime: new Date('2025-10-26T15:30:45Z'), sequence: 42, windowCode: '13204A001' },
      attributes,
      crl: { prefecture: '東京都', municipality: '三鷹市' },
    });
    authDer = await buildUserAuthCertificate({
      issuer: { certificate: ca.auth.certificate, privateKey: ca.auth.keys.privateKey },
      subjectPublicKeyInfo: cardSpki, serialNumber: Uint8Array.of(0x56, 0x78), ...validity,
      commonName: '8439ABCDEF0123456789',
    });
  });

  describe('CA certificates (§13.1)', () => {
    test('caSubject is the real roots\' DN', () => {
      assert.equal(caSubject('auth').toString(), 'C=JP, O=JPKI, OU=JPKI for user authentication, OU=Japan Agency for Local Authority Information Systems');
      assert.equal(caSubject('sign').toString(), 'C=JP, O=JPKI, OU=JPKI for digital signature, OU=Japan Agency for Local Authority Information Systems');
    });

    test('read back with @peculiar/x509: names, string types, serial, validity, extensions and criticality', async () => {
      for (const kind of ['sign', 'auth'] as const) {
        const cert = ca[kind].certificate;
        const der = new Uint8Array(cert.rawData);
        const ou = kind === 'sign' ? 'JPKI for digital signature' : 'JPKI for user authentication';
        assert.deepEqual(rdns(der, 'subject'), CA_RDNS(ou));
        assert.deepEqual(rdns(der, 'issuer'), CA_RDNS(ou));
        assert.equal(AsnConvert.parse(der, Certificate).tbsCertificate.version, 2, 'v3');
        assert.equal(cert.serialNumber, kind === 'auth' ? '06d18006' : '067c6a21');
        assert.equal(cert.notAfter.toISOString(), '2033-07-15T14:59:59.000Z');
        assert.ok(await cert.isSelfSigned(webcrypto));
        assert.deepEqual([...cert.extensions].map((e) => [e.type, e.critical]), [
          ['2.5.29.15', true], ['2.5.29.17', false], ['2.5.29.19', true], ['2.5.29.31', false], ['2.5.29.14', false],
        ]);
        assert.equal(cert.getExtension(x509.KeyUsagesExtension)!.usages, x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
        const bc = cert.getExtension(x509.BasicConstraintsExtension)!;
        assert.equal(bc.ca, true);
        assert.equal(bc.pathLength, undefined);
        const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension)!;
        assert.equal(ski.keyId, Buffer.from(await cert.publicKey.getKeyIdentifier(webcrypto)).toString('hex'));
        const san = AsnConvert.parse(cert.getExtension(id_ce_subjectAltName)!.value, SubjectAlternativeName);
        assert.equal(san.length, 1);
        const sanRdns = [...san[0]!.directoryName!].map((rdn) => [rdn[0]!.type, rdn[0]!.value.printableString ? 'printable' : 'utf8', rdn[0]!.value.toString()]);
        // §13.1 shows only C and O: OpenSSL's one-line DirName printer stops there. The DER has two OUs more.
        assert.deepEqual(sanRdns, [
          ['2.5.4.6', 'printable', 'JP'], ['2.5.4.10', 'utf8', '公的個人認証サービス'],
          ['2.5.4.11', 'utf8', kind === 'sign' ? '公的個人認証サービス署名用' : '公的個人認証サービス利用者証明用'],
          ['2.5.4.11', 'utf8', '地方公共団体情報システム機構'],
        ]);
      }
    });

    test('read back with openssl -text and RFC 2253 names', { skip: opensslMissing }, () => {
      for (const kind of ['sign', 'auth'] as const) {
        const der = new Uint8Array(ca[kind].certificate.rawData);
        const ou = kind === 'sign' ? 'JPKI for digital signature' : 'JPKI for user authentication';
        const dn = `OU=Japan Agency for Local Authority Information Systems,OU=${ou},O=JPKI,C=JP`;
        assert.equal(opensslX509(der, '-subject', '-nameopt', 'RFC2253').trim(), `subject=${dn}`);
        assert.equal(opensslX509(der, '-issuer', '-nameopt', 'RFC2253').trim(), `issuer=${dn}`);
        const text = unescapeOpenssl(opensslX509(der, '-text', '-nameopt', 'utf8,sep_comma_plus_space'));
        assert.match(text, /Version: 3 \(0x2\)/);
        assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
        assert.match(text, /Public-Key: \(2048 bit\)/);
        assert.match(text, /Exponent: 65537 \(0x10001\)/);
        assert.match(text, /X509v3 Key Usage: critical\n\s+Certificate Sign, CRL Sign\n/);
        assert.match(text, /X509v3 Basic Constraints: critical\n\s+CA:TRUE\n/);
        // OpenSSL 3.0 prints only the first two RDNs of this DirName (hence §13.1's shorter value).
        assert.match(text, /X509v3 Subject Alternative Name: \n\s+DirName:\/C=JP\/O=公的個人認証サービス\n/);
        assert.match(text, new RegExp(`X509v3 CRL Distribution Points: \\n\\s+Full Name:\\n\\s+DirName:C = JP, O = JPKI, OU = ${ou}, OU = Japan Agency for Local Authority Information Systems\\n`));
        assert.doesNotMatch(text, /URI:/);
        assert.match(text, /X509v3 Subject Key Identifier: \n\s+[0-9A-F:]{59}\n/);
        assert.match(text, /Not After : Jul 15 14:59:59 2033 GMT/);
      }
    });

    test('the same size as the real 2023 roots (spec §13.1: auth 1,319 bytes, sign 1,304), which pins names and extensions', () => {
      // With the same serials and an RSA-2048 key, any difference in a name, an extension or its
      // encoding would change the length.
      assert.equal(ca.auth.certificate.rawData.byteLength, 1319);
      assert.equal(ca.sign.certificate.rawData.byteLength, 1304);
    });
  });

  describe('signing certificate (§13.3)', () => {
    test('subject C, L, L, CN with the JST request time, 5-digit sequence and window code', () => {
      assert.deepEqual(rdns(signDer, 'subject'), [
        ['2.5.4.6', 'printable', 'JP'],
        ['2.5.4.7', 'utf8', 'Tokyo-to'],
        ['2.5.4.7', 'utf8', 'Mitaka-shi'],
        // 2025-10-26T15:30:45Z is 2025-10-27 00:30:45 JST: the date rolls over.
        ['2.5.4.3', 'utf8', '20251027003045' + '00042' + '13204A001'],
      ]);
      assert.deepEqual(rdns(signDer, 'issuer'), CA_RDNS('JPKI for digital signature'));
    });

    test('extensions and criticality: KeyUsage and policies critical, SAN and CRL DP not', () => {
      const cert = new x509.X509Certificate(signDer);
      assert.deepEqual([...cert.extensions].map((e) => [e.type, e.critical]), [
        ['2.5.29.15', true], ['2.5.29.17', false], ['2.5.29.32', true], ['2.5.29.31', false], ['2.5.29.35', false], ['2.5.29.14', false],
      ]);
      assert.equal(cert.getExtension(x509.KeyUsagesExtension)!.usages, x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation);
      assert.deepEqual(readCertificatePolicyOids(signDer), [JPKI_POLICY_OID.sign]);
      const aki = cert.getExtension(x509.AuthorityKeyIdentifierExtension)!;
      assert.equal(aki.keyId, ca.sign.certificate.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId);
      assert.deepEqual(new Uint8Array(cert.publicKey.rawData), cardSpki, 'the card\'s SPKI is embedded unchanged');
    });

    test('SAN otherNames in the order .1 .4 .3 .5 .2 .6, [0] EXPLICIT UTF8String, round-trip through readBasicAttributes', () => {
      const san = AsnConvert.parse(new x509.X509Certificate(signDer).getExtension(id_ce_subjectAltName)!.value, SubjectAlternativeName);
      const entries = [...san].map((gn) => {
        const other = gn.otherName!;
        const inner = new Uint8Array(other.value);
        assert.equal(inner[0], 0x0c, 'UTF8String');
        return [other.typeId, AsnConvert.parse(other.value, DirectoryString).utf8String];
      });
      assert.deepEqual(entries, [
        [BASIC_ATTRIBUTE_OID.name, '三鷹　太郎'],
        [BASIC_ATTRIBUTE_OID.birthDate, '419900102'],
        [BASIC_ATTRIBUTE_OID.gender, '1'],
        [BASIC_ATTRIBUTE_OID.address, '東京都三鷹市下連雀九丁目１１番１号'],
        [BASIC_ATTRIBUTE_OID.nameSubstitute, ''],
        [BASIC_ATTRIBUTE_OID.addressSubstitute, ''],
      ]);
      assert.deepEqual(entries.map(([oid]) => oid!.split('.').at(-1)), ['1', '4', '3', '5', '2', '6']);
      assert.deepEqual(readBasicAttributes(signDer), attributes);
    });

    test('non-empty substitute fields and female round-trip too', async () => {
      const other: BasicAttributes = { ...attributes, name: '髙橋　花子', nameSubstitute: '髙', sex: 'female', birthDate: '2019-05-01', addressSubstitute: '１１' };
      const der = await buildSigningCertificate({
        issuer: { certificate: ca.sign.certificate, privateKey: ca.sign.keys.privateKey },
        subjectPublicKeyInfo: cardSpki, serialNumber: Uint8Array.of(0x99), ...validity,
        subject: { prefectureRomaji: 'Tokyo-to', municipalityRomaji: 'Mitaka-shi', requestTime: validity.notBefore, sequence: 99_999, windowCode: '000000000' },
        attributes: other, crl: { prefecture: '東京都', municipality: '三鷹市' },
      });
      assert.deepEqual(readBasicAttributes(der), other);
    });

    test('openssl: CRL DP DirName, critical policy with CPS, and verify -x509_strict OK under the policy', { skip: opensslMissing }, () => {
      const text = unescapeOpenssl(opensslX509(signDer, '-text', '-nameopt', 'utf8,sep_comma_plus_space'));
      assert.match(text, /X509v3 Key Usage: critical\n\s+Digital Signature, Non Repudiation\n/);
      assert.match(text, /X509v3 Certificate Policies: critical\n\s+Policy: 1\.2\.392\.200149\.8\.5\.1\.1\.20\n\s+CPS: http:\/\/www\.jpki\.go\.jp\/cps\.html\n/);
      assert.match(text, /DirName:C = JP, O = JPKI, OU = JPKI for digital signature, OU = CRL Distribution Points, OU = 東京都, CN = 三鷹市\n/);
      // OpenSSL 3 prints UTF8String otherNames (older releases printed `<unsupported>`, §13.3).
      assert.match(text, /X509v3 Subject Alternative Name: \n\s+othername: 1\.2\.392\.200149\.8\.5\.5\.1::三鷹　太郎, othername: 1\.2\.392\.200149\.8\.5\.5\.4::419900102, /);
      const result = verify(new Uint8Array(ca.sign.certificate.rawData), signDer, '-policy', JPKI_POLICY_OID.sign, '-explicit_policy');
      assert.equal(result.status, 0, result.output);
      assert.match(result.output, /cert\.pem: OK/);
    });
  });

  describe('user-authentication certificate (§13.2)', () => {
    test('no personal data: subject only C and CN, no SAN, no basic attribute OIDs anywhere', () => {
      assert.deepEqual(rdns(authDer, 'subject'), [['2.5.4.6', 'printable', 'JP'], ['2.5.4.3', 'utf8', '8439ABCDEF0123456789']]);
      assert.deepEqual(rdns(authDer, 'issuer'), CA_RDNS('JPKI for user authentication'));
      const cert = new x509.X509Certificate(authDer);
      assert.equal(cert.getExtension(id_ce_subjectAltName), null);
      // The DER of OID 1.2.392.200149.8.5.5 (the attribute arc) must not appear at all.
      const attributeArc = Buffer.from('2a83088c9b55080505', 'hex');
      assert.equal(Buffer.from(authDer).indexOf(attributeArc), -1);
      assert.ok(Buffer.from(signDer).indexOf(attributeArc) > 0, 'the probe finds the arc in the signing certificate');
      assert.throws(() => readBasicAttributes(authDer), TypeError);
    });

    test('extensions: KeyUsage critical digitalSignature, auth policy, AKI, SKI, CRL DP DirName', () => {
      const cert = new x509.X509Certificate(authDer);
      assert.deepEqual([...cert.extensions].map((e) => [e.type, e.critical]), [
        ['2.5.29.15', true], ['2.5.29.32', true], ['2.5.29.31', false], ['2.5.29.35', false], ['2.5.29.14', false],
      ]);
      assert.equal(cert.getExtension(x509.KeyUsagesExtension)!.usages, x509.KeyUsageFlags.digitalSignature);
      assert.deepEqual(readCertificatePolicyOids(authDer), [JPKI_POLICY_OID.auth]);
      assert.equal(cert.getExtension(x509.AuthorityKeyIdentifierExtension)!.keyId, ca.auth.certificate.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId);
    });

    test('openssl: verify -x509_strict OK under the auth policy; CRL DP DirName', { skip: opensslMissing }, () => {
      const text = opensslX509(authDer, '-text');
      assert.match(text, /DirName:C = JP, O = JPKI, OU = JPKI for user authentication, OU = CRL Distribution Points\n/);
      assert.match(text, /X509v3 Key Usage: critical\n\s+Digital Signature\n/);
      assert.doesNotMatch(text, /Subject Alternative Name|othername/);
      assert.equal(opensslX509(authDer, '-subject', '-nameopt', 'RFC2253').trim(), 'subject=CN=8439ABCDEF0123456789,C=JP');
      const result = verify(new Uint8Array(ca.auth.certificate.rawData), authDer, '-policy', JPKI_POLICY_OID.auth, '-explicit_policy');
      assert.equal(result.status, 0, result.output);
      assert.match(result.output, /cert\.pem: OK/);
    });

    test('openssl verify fails for a certificate signed with the wrong key, and against the other CA', { skip: opensslMissing }, async () => {
      const stranger = await generateKeys();
      const forged = await buildUserAuthCertificate({
        issuer: { certificate: ca.auth.certificate, privateKey: stranger.privateKey },
        subjectPublicKeyInfo: cardSpki, serialNumber: Uint8Array.of(0x57), ...validity, commonName: 'FORGED',
      });
      const result = verify(new Uint8Array(ca.auth.certificate.rawData), forged);
      assert.notEqual(result.status, 0);
      assert.match(result.output, /certificate signature failure/);
      const crossed = verify(new Uint8Array(ca.sign.certificate.rawData), authDer);
      assert.notEqual(crossed.status, 0);
    });
  });

  describe('attribute encodings', () => {
    test('encodeBirthDate: era digit + Gregorian date, at the era boundaries', () => {
      assert.equal(encodeBirthDate('1990-01-02'), '419900102');
      assert.equal(encodeBirthDate('1989-01-07'), '319890107');
      assert.equal(encodeBirthDate('1989-01-08'), '419890108');
      assert.equal(encodeBirthDate('2019-04-30'), '420190430');
      assert.equal(encodeBirthDate('2019-05-01'), '520190501');
      assert.equal(encodeBirthDate('1926-12-24'), '219261224');
      assert.equal(encodeBirthDate('1926-12-25'), '319261225');
      assert.equal(encodeBirthDate('1912-07-29'), '119120729');
      assert.equal(encodeBirthDate('1912-07-30'), '219120730');
      assert.equal(encodeBirthDate('1868-10-22'), '118681022', 'before 明治 1868-10-23 is still 明治');
    });

    test('encodeBirthDate rejects impossible dates', () => {
      for (const bad of ['1990-02-30', '1990-1-2', '19900102', '']) assert.throws(() => encodeBirthDate(bad), TypeError, bad);
    });

    test('encodeGender follows ISO/IEC 5218', () => {
      assert.equal(encodeGender('male'), '1');
      assert.equal(encodeGender('female'), '2');
      assert.throws(() => encodeGender('x' as never), TypeError);
    });

    test('signingCommonName pads the sequence and checks its inputs', () => {
      assert.equal(signingCommonName({ requestTime: new Date('2024-02-29T14:59:59Z'), sequence: 0, windowCode: 'ABCDEFGHI' }), '2024022923595900000ABCDEFGHI');
      assert.throws(() => signingCommonName({ requestTime: new Date(), sequence: 100_000, windowCode: 'ABCDEFGHI' }), TypeError);
      assert.throws(() => signingCommonName({ requestTime: new Date(), sequence: 1, windowCode: 'ABCDEFGH' }), TypeError);
    });
  });

  describe('caller misuse', () => {
    test('a zero serial, reversed validity or a non-RSA-2048 SPKI are TypeErrors', async () => {
      const base = {
        issuer: { certificate: ca.auth.certificate, privateKey: ca.auth.keys.privateKey },
        subjectPublicKeyInfo: cardSpki, serialNumber: Uint8Array.of(1), ...validity, commonName: 'X',
      };
      await assert.rejects(buildUserAuthCertificate({ ...base, serialNumber: Uint8Array.of(0) }), TypeError);
      await assert.rejects(buildUserAuthCertificate({ ...base, notBefore: validity.notAfter, notAfter: validity.notBefore }), TypeError);
      const ec = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
      const ecSpki = new Uint8Array(await webcrypto.subtle.exportKey('spki', ec.publicKey));
      await assert.rejects(buildUserAuthCertificate({ ...base, subjectPublicKeyInfo: ecSpki }), TypeError);
      await assert.rejects(buildUserAuthCertificate({ ...base, issuer: { ...base.issuer, privateKey: ec.privateKey } }), TypeError);
    });
  });

});
