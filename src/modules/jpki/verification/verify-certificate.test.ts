// Relying-party verification: each failure code from a real certificate, both kinds and an older CA generation, and card signatures over data and digests.
import 'reflect-metadata';
import { test, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createHash, generateKeyPairSync, privateEncrypt, randomBytes, sign, webcrypto, type KeyObject } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import {
  JPKI_POLICY_OID, buildCaCertificate, buildSigningCertificate, buildUserAuthCertificate, readCertificatePolicyOids, type CaKind,
} from '../certificate-profiles.ts';
import {
  prepareAnchors, verifyCertificate, type PreparedAnchors, type RevocationLookup, type RevocationStatus, type TrustAnchor,
  type VerificationFailure,
} from './verify-certificate.ts';
import { verifySignature } from './verify-signature.ts';

const RSA = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' } as const;
const validity = { notBefore: new Date('2025-10-27T01:02:03Z'), notAfter: new Date('2030-02-17T14:59:59Z') };
const AT = new Date('2026-06-01T00:00:00Z');
/** The SHA-256 DigestInfo prefix a client puts before the digest it hands the card (RFC 8017 §9.2, note 1). */
const DIGEST_INFO_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex');

interface Ca {
  keys: webcrypto.CryptoKeyPair;
  certificate: x509.X509Certificate;
  anchor: TrustAnchor;
}

async function makeCa(kind: CaKind, generation: number): Promise<Ca> {
  const keys = await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']);
  const certificate = await buildCaCertificate({
    kind, keys, serialNumber: Uint8Array.of(generation), notBefore: new Date('2023-07-16T03:04:05Z'), notAfter: new Date('2033-07-15T14:59:59Z'),
  });
  return { keys, certificate, anchor: { kind, generation, certificate: new Uint8Array(certificate.rawData) } };
}

function failureOf(result: Awaited<ReturnType<typeof verifyCertificate>>): VerificationFailure | 'ok' {
  return result.ok ? 'ok' : result.failure;
}

function flip(der: Uint8Array, index: number): Uint8Array {
  const copy = Uint8Array.from(der);
  copy[index]! ^= 0x01;
  return copy;
}

describe('JPKI verification', () => {
  const ca = {} as Record<'auth1' | 'auth2' | 'sign1' | 'rogueAuth', Ca>;
  let card: { publicKey: KeyObject; privateKey: KeyObject };
  let cardSpki: Uint8Array;
  let authDer: Uint8Array;
  let authOldDer: Uint8Array;
  let signDer: Uint8Array;
  let rogueDer: Uint8Array;
  let anchors: PreparedAnchors;

  /** A user certificate shaped by hand (what the profiles refuse to build), signed by `issuer` with the card's key. */
  async function customCertificate(issuer: Ca, options: {
    policy?: string; keyUsage?: x509.KeyUsageFlags; authorityKeyId?: boolean; extensions?: x509.Extension[]; serialNumber?: string;
  }): Promise<Uint8Array> {
    const extensions: x509.Extension[] = [];
    if (options.keyUsage !== undefined) extensions.push(new x509.KeyUsagesExtension(options.keyUsage, true));
    if (options.policy !== undefined) extensions.push(new x509.CertificatePolicyExtension([options.policy], true));
    if (options.authorityKeyId !== false) {
      extensions.push(new x509.AuthorityKeyIdentifierExtension(issuer.certificate.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId, false));
    }
    extensions.push(...(options.extensions ?? []));
    const certificate = await x509.X509CertificateGenerator.create({
      serialNumber: options.serialNumber ?? '0c0ffee0', subject: 'C=JP, CN=CUSTOM', issuer: issuer.certificate.subjectName, ...validity,
      publicKey: cardSpki, signingKey: issuer.keys.privateKey, extensions,
    }, webcrypto);
    return new Uint8Array(certificate.rawData);
  }

  function issueAuth(issuer: Ca, serialNumber: Uint8Array): Promise<Uint8Array> {
    return buildUserAuthCertificate({
      issuer: { certificate: issuer.certificate, privateKey: issuer.keys.privateKey },
      subjectPublicKeyInfo: cardSpki, serialNumber, ...validity, commonName: '8439ABCDEF0123456789',
    });
  }

  before(async () => {
    [ca.auth1, ca.auth2, ca.sign1, ca.rogueAuth] = await Promise.all([makeCa('auth', 1), makeCa('auth', 2), makeCa('sign', 1), makeCa('auth', 1)]);
    // The card generates its key pair inside and hands out only the SPKI.
    card = generateKeyPairSync('rsa', { modulusLength: 2048 });
    cardSpki = new Uint8Array(card.publicKey.export({ type: 'spki', format: 'der' }));
    authDer = await issueAuth(ca.auth2, Uint8Array.of(0x56, 0x78));
    authOldDer = await issueAuth(ca.auth1, Uint8Array.of(0x0a, 0xbc));
    rogueDer = await issueAuth(ca.rogueAuth, Uint8Array.of(0x56, 0x78));
    signDer = await buildSigningCertificate({
      issuer: { certificate: ca.sign1.certificate, privateKey: ca.sign1.keys.privateKey },
      subjectPublicKeyInfo: cardSpki, serialNumber: Uint8Array.of(0x12, 0x34), ...validity,
      subject: { prefectureRomaji: 'Tokyo-to', municipalityRomaji: 'Mitaka-shi', requestTime: new Date('2025-10-26T15:30:45Z'), sequence: 42, windowCode: '13204A001' },
      attributes: { name: '三鷹　太郎', nameSubstitute: '', sex: 'male', birthDate: '1990-01-02', address: '東京都三鷹市下連雀九丁目１１番１号', addressSubstitute: '' },
      crl: { prefecture: '東京都', municipality: '三鷹市' },
    });
    anchors = prepareAnchors([ca.auth1.anchor, ca.auth2.anchor, ca.sign1.anchor]);
  });

  describe('verifyCertificate: success', () => {
    test('an auth certificate: its kind, CA generation, serial, validity, subject and the card key', async () => {
      const result = await verifyCertificate(authDer, { anchors, at: AT, expectedKind: 'auth' });
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.kind, 'auth');
      assert.equal(result.anchor, ca.auth2.anchor);
      assert.equal(result.serialHex, '5678');
      assert.deepEqual([result.notBefore, result.notAfter], [validity.notBefore, validity.notAfter]);
      assert.equal(result.subject, 'C=JP, CN=8439ABCDEF0123456789');
      assert.equal(result.subject, new x509.X509Certificate(authDer).subject);
      assert.deepEqual(new Uint8Array(result.publicKey.export({ type: 'spki', format: 'der' })), cardSpki);
    });

    test('a signing certificate chains to the signing CA', async () => {
      const result = await verifyCertificate(signDer, { anchors, at: AT, expectedKind: 'sign' });
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.kind, 'sign');
      assert.equal(result.anchor, ca.sign1.anchor);
      assert.equal(result.serialHex, '1234');
      assert.equal(result.subject, new x509.X509Certificate(signDer).subject);
      assert.match(result.subject, /^C=JP, L=Tokyo-to, L=Mitaka-shi, CN=2025102700304500042/);
    });

    test('an older CA generation still verifies the certificates it issued', async () => {
      const result = await verifyCertificate(authOldDer, { anchors, at: AT });
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.anchor, ca.auth1.anchor);
      assert.equal(result.serialHex, '0abc', 'the leading zero nibble stays, as JPKI records Buffer.from(serial).toString(\'hex\')');
    });

    test('a serial with its top bit set is reported without the DER sign octet', async () => {
      const result = await verifyCertificate(await issueAuth(ca.auth2, Uint8Array.of(0x80, 0x01)), { anchors, at: AT });
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.serialHex, '8001');
    });

    test('without authorityKeyIdentifier, each generation with the issuer\'s name is tried', async () => {
      const der = await customCertificate(ca.auth1, { policy: JPKI_POLICY_OID.auth, keyUsage: x509.KeyUsageFlags.digitalSignature, authorityKeyId: false });
      const result = await verifyCertificate(der, { anchors, at: AT });
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.anchor, ca.auth1.anchor);
    });

    test('valid from notBefore through notAfter inclusive (to the second)', async () => {
      for (const at of [validity.notBefore, validity.notAfter, new Date(validity.notAfter.getTime() + 999)]) {
        assert.equal(failureOf(await verifyCertificate(authDer, { anchors, at })), 'ok', at.toISOString());
      }
    });
  });

  describe('verifyCertificate: failures', () => {
    test('JPKI_CERT_MALFORMED: truncated at every length, garbage, PEM text, trailing bytes', async () => {
      const inputs: Array<[string, Uint8Array]> = [
        ['empty', new Uint8Array(0)],
        ['garbage', randomBytes(1200)],
        ['text', new TextEncoder().encode('not a certificate')],
        ['PEM instead of DER', new TextEncoder().encode(new x509.X509Certificate(authDer).toString('pem'))],
        ['a trailing byte', Uint8Array.from([...authDer, 0])],
        ['two certificates', Uint8Array.from([...authDer, ...authDer])],
      ];
      for (let length = 0; length < authDer.length; length++) inputs.push([`truncated to ${length}`, authDer.subarray(0, length)]);
      for (const [what, der] of inputs) {
        const result = await verifyCertificate(der, { anchors, at: AT });
        assert.equal(failureOf(result), 'JPKI_CERT_MALFORMED', what);
      }
      const result = await verifyCertificate(authDer.subarray(0, 100), { anchors, at: AT });
      assert.ok(!result.ok);
      assert.match(result.detail, /^DER の X\.509 証明書ではありません \/ not a DER X\.509 certificate: /);
    });

    test('JPKI_CERT_UNKNOWN_ISSUER: another CA with the same name, and a CA that is not trusted', async () => {
      const rogue = await verifyCertificate(rogueDer, { anchors, at: AT });
      assert.equal(failureOf(rogue), 'JPKI_CERT_UNKNOWN_ISSUER');
      assert.match(rogue.ok ? '' : rogue.detail, /key identifier/);
      const authOnly = prepareAnchors([ca.auth1.anchor, ca.auth2.anchor]);
      const untrusted = await verifyCertificate(signDer, { anchors: authOnly, at: AT });
      assert.equal(failureOf(untrusted), 'JPKI_CERT_UNKNOWN_ISSUER');
      assert.match(untrusted.ok ? '' : untrusted.detail, /not a trusted CA: C=JP, O=JPKI, OU=JPKI for digital signature/);
    });

    test('JPKI_CERT_BAD_SIGNATURE: a flipped signature bit, and a name-only match signed by another key', async () => {
      const flipped = await verifyCertificate(flip(authDer, authDer.length - 1), { anchors, at: AT });
      assert.deepEqual(flipped, { ok: false, failure: 'JPKI_CERT_BAD_SIGNATURE', detail: '証明書の署名が検証できません / certificate signature does not verify' });
      const nameOnly = await customCertificate(ca.rogueAuth, { policy: JPKI_POLICY_OID.auth, keyUsage: x509.KeyUsageFlags.digitalSignature, authorityKeyId: false });
      assert.equal(failureOf(await verifyCertificate(nameOnly, { anchors, at: AT })), 'JPKI_CERT_BAD_SIGNATURE');
    });

    test('JPKI_CERT_NOT_YET_VALID and JPKI_CERT_EXPIRED', async () => {
      const early = await verifyCertificate(authDer, { anchors, at: new Date(validity.notBefore.getTime() - 1) });
      assert.equal(failureOf(early), 'JPKI_CERT_NOT_YET_VALID');
      assert.match(early.ok ? '' : early.detail, /2025-10-27T01:02:03\.000Z/);
      const late = await verifyCertificate(authDer, { anchors, at: new Date(validity.notAfter.getTime() + 1000) });
      assert.equal(failureOf(late), 'JPKI_CERT_EXPIRED');
      assert.match(late.ok ? '' : late.detail, /2030-02-17T14:59:59\.000Z/);
    });

    test('JPKI_CERT_WRONG_POLICY: the other kind\'s policy, no policy (the CA itself), the other kind expected, an unknown critical extension', async () => {
      const signPolicy = await customCertificate(ca.auth2, { policy: JPKI_POLICY_OID.sign, keyUsage: x509.KeyUsageFlags.digitalSignature });
      assert.deepEqual(readCertificatePolicyOids(signPolicy), [JPKI_POLICY_OID.sign]);
      const cases: Array<[string, Uint8Array, CaKind | undefined]> = [
        ['sign policy from the auth CA', signPolicy, undefined],
        ['the CA certificate itself', ca.auth2.anchor.certificate, undefined],
        ['a signing certificate where auth is expected', signDer, 'auth'],
        ['an auth certificate where sign is expected', authDer, 'sign'],
        ['an unknown critical extension', await customCertificate(ca.auth2, {
          policy: JPKI_POLICY_OID.auth, keyUsage: x509.KeyUsageFlags.digitalSignature,
          extensions: [new x509.Extension('1.2.392.200149.99.1', true, Uint8Array.of(0x05, 0x00))],
        }), undefined],
      ];
      for (const [what, der, expectedKind] of cases) {
        assert.equal(failureOf(await verifyCertificate(der, { anchors, at: AT, ...(expectedKind ? { expectedKind } : {}) })), 'JPKI_CERT_WRONG_POLICY', what);
      }
      const other = await verifyCertificate(signDer, { anchors, at: AT, expectedKind: 'auth' });
      assert.match(other.ok ? '' : other.detail, /^署名用電子証明書です（利用者証明用が必要です） \/ this is a sign certificate/);
      // The same extension, not critical, is ignored.
      const nonCritical = await customCertificate(ca.auth2, {
        policy: JPKI_POLICY_OID.auth, keyUsage: x509.KeyUsageFlags.digitalSignature,
        extensions: [new x509.Extension('1.2.392.200149.99.1', false, Uint8Array.of(0x05, 0x00))],
      });
      assert.equal(failureOf(await verifyCertificate(nonCritical, { anchors, at: AT })), 'ok');
    });

    test('JPKI_CERT_WRONG_KEY_USAGE: missing nonRepudiation, keyEncipherment only, a CA bit, none at all', async () => {
      const { digitalSignature, nonRepudiation, keyEncipherment, keyCertSign } = x509.KeyUsageFlags;
      const cases: Array<[string, Ca, string, x509.KeyUsageFlags | undefined]> = [
        ['sign without nonRepudiation', ca.sign1, JPKI_POLICY_OID.sign, digitalSignature],
        ['auth with keyEncipherment only', ca.auth2, JPKI_POLICY_OID.auth, keyEncipherment],
        ['auth that could sign certificates', ca.auth2, JPKI_POLICY_OID.auth, digitalSignature | keyCertSign],
        ['no keyUsage extension', ca.auth2, JPKI_POLICY_OID.auth, undefined],
      ];
      for (const [what, issuer, policy, keyUsage] of cases) {
        const der = await customCertificate(issuer, { policy, ...(keyUsage === undefined ? {} : { keyUsage }) });
        assert.equal(failureOf(await verifyCertificate(der, { anchors, at: AT })), 'JPKI_CERT_WRONG_KEY_USAGE', what);
      }
      // The full signing set passes, so the cases above fail for their key usage alone.
      const good = await customCertificate(ca.sign1, { policy: JPKI_POLICY_OID.sign, keyUsage: digitalSignature | nonRepudiation });
      assert.equal(failureOf(await verifyCertificate(good, { anchors, at: AT })), 'ok');
    });

    test('revocation: revoked, on hold, and a serial never issued; the lookup gets the issuing generation and the recorded serial form', async () => {
      const calls: Array<[TrustAnchor, string]> = [];
      const statuses = new Map<string, RevocationStatus>([
        ['5678', { status: 'revoked', reason: 'keyCompromise', revokedAt: new Date('2026-03-01T00:00:00Z') }],
        ['0abc', { status: 'hold', revokedAt: new Date('2026-04-01T00:00:00Z') }],
        ['1234', { status: 'good' }],
      ]);
      const revocation: RevocationLookup = async (anchor, serialHex) => {
        calls.push([anchor, serialHex]);
        return statuses.get(serialHex) ?? { status: 'unknown' };
      };
      const revoked = await verifyCertificate(authDer, { anchors, at: AT, revocation });
      assert.equal(failureOf(revoked), 'JPKI_CERT_REVOKED');
      assert.match(revoked.ok ? '' : revoked.detail, /keyCompromise/);
      assert.equal(failureOf(await verifyCertificate(authOldDer, { anchors, at: AT, revocation })), 'JPKI_CERT_ON_HOLD');
      assert.equal(failureOf(await verifyCertificate(signDer, { anchors, at: AT, revocation })), 'ok');
      const neverIssued = await customCertificate(ca.auth2, { policy: JPKI_POLICY_OID.auth, keyUsage: x509.KeyUsageFlags.digitalSignature, serialNumber: '7777' });
      const unknown = await verifyCertificate(neverIssued, { anchors, at: AT, revocation });
      assert.equal(failureOf(unknown), 'JPKI_CERT_UNKNOWN_ISSUER');
      assert.match(unknown.ok ? '' : unknown.detail, /serial 7777 is not on record/);
      assert.deepEqual(calls, [[ca.auth2.anchor, '5678'], [ca.auth1.anchor, '0abc'], [ca.sign1.anchor, '1234'], [ca.auth2.anchor, '7777']]);
      // Earlier failures come first: a bad signature is never looked up.
      calls.length = 0;
      assert.equal(failureOf(await verifyCertificate(flip(authDer, authDer.length - 1), { anchors, at: AT, revocation })), 'JPKI_CERT_BAD_SIGNATURE');
      assert.deepEqual(calls, []);
    });

    test('no single corrupted byte is accepted, and none throws', async () => {
      const seen = new Set<VerificationFailure | 'ok'>();
      for (let index = 0; index < authDer.length; index++) {
        const failure = failureOf(await verifyCertificate(flip(authDer, index), { anchors, at: AT }));
        assert.notEqual(failure, 'ok', `byte ${index}`);
        seen.add(failure);
      }
      // A flip in the issuer name or the AKI no longer names a trusted CA; any other flip breaks the DER or the signature.
      assert.deepEqual([...seen].sort(), ['JPKI_CERT_BAD_SIGNATURE', 'JPKI_CERT_MALFORMED', 'JPKI_CERT_UNKNOWN_ISSUER']);
    });
  });

  describe('misuse is a TypeError', () => {
    test('verifyCertificate: anchors not prepared, an invalid date, not bytes', async () => {
      await assert.rejects(verifyCertificate(authDer, { anchors: { anchors: [], bySubject: new Map(), bySubjectAndKeyId: new Map() }, at: AT }), TypeError);
      await assert.rejects(verifyCertificate(authDer, { anchors, at: new Date('nope') }), TypeError);
      await assert.rejects(verifyCertificate('MIIB' as unknown as Uint8Array, { anchors, at: AT }), TypeError);
    });

    test('a failing revocation lookup is passed on, not turned into a verdict', async () => {
      const revocation: RevocationLookup = async () => { throw new Error('database down'); };
      await assert.rejects(verifyCertificate(authDer, { anchors, at: AT, revocation }), /database down/);
    });

    test('prepareAnchors: not a certificate, one CA under two kinds', () => {
      assert.throws(() => prepareAnchors([{ kind: 'auth', generation: 1, certificate: randomBytes(100) }]), TypeError);
      assert.throws(() => prepareAnchors([ca.auth1.anchor, { ...ca.auth1.anchor, kind: 'sign' }]), TypeError);
      // The same anchor twice is harmless.
      assert.equal(prepareAnchors([ca.auth1.anchor, ca.auth1.anchor]).anchors.length, 1);
    });
  });

  describe('verifySignature', () => {
    const challenge = randomBytes(32);
    let signature: Uint8Array;
    let digest: Uint8Array;

    before(() => {
      signature = sign('sha256', challenge, card.privateKey);
      digest = createHash('sha256').update(challenge).digest();
    });

    test('over the data: true; false for other data, a flipped bit, another key, a truncated signature', () => {
      assert.equal(verifySignature(card.publicKey, { data: challenge }, signature), true);
      assert.equal(verifySignature(card.publicKey, { data: randomBytes(32) }, signature), false);
      assert.equal(verifySignature(card.publicKey, { data: challenge }, flip(signature, 100)), false);
      assert.equal(verifySignature(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey, { data: challenge }, signature), false);
      assert.equal(verifySignature(card.publicKey, { data: challenge }, signature.subarray(1)), false);
    });

    test('over a digest: what the card computes from a DigestInfo verifies; other digests, flipped bits, other keys, wrong lengths do not', () => {
      // The card pads and exponentiates the DigestInfo it is given: the same bytes as an ordinary signature.
      const cardSignature = privateEncrypt({ key: card.privateKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([DIGEST_INFO_PREFIX, digest]));
      assert.deepEqual(new Uint8Array(cardSignature), new Uint8Array(signature));
      assert.equal(verifySignature(card.publicKey, { digest }, signature), true);
      assert.equal(verifySignature(card.publicKey, { digest: createHash('sha256').update('other').digest() }, signature), false);
      assert.equal(verifySignature(card.publicKey, { digest: flip(digest, 0) }, signature), false);
      assert.equal(verifySignature(card.publicKey, { digest }, flip(signature, 0)), false);
      assert.equal(verifySignature(card.publicKey, { digest }, signature.subarray(2)), false);
      assert.equal(verifySignature(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey, { digest }, signature), false);
      for (const length of [0, 20, 31, 33, 64]) assert.equal(verifySignature(card.publicKey, { digest: new Uint8Array(length) }, signature), false, `length ${length}`);
      // A SHA-1 DigestInfo with a digest of the right length is not SHA-256.
      const sha1Info = Buffer.concat([Buffer.from('3021300906052b0e03021a05000414', 'hex'), digest.subarray(0, 20)]);
      const sha1Signature = privateEncrypt({ key: card.privateKey, padding: constants.RSA_PKCS1_PADDING }, sha1Info);
      assert.equal(verifySignature(card.publicKey, { digest: Buffer.concat([digest.subarray(0, 20), Buffer.alloc(12)]) }, sha1Signature), false);
    });

    test('with the key verifyCertificate returns', async () => {
      const result = await verifyCertificate(authDer, { anchors, at: AT });
      assert.ok(result.ok);
      assert.equal(verifySignature(result.publicKey, { data: challenge }, signature), true);
      assert.equal(verifySignature(result.publicKey, { digest }, signature), true);
    });

    test('misuse: not an RSA public key, no input', () => {
      const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      assert.throws(() => verifySignature(ec.publicKey, { data: challenge }, signature), TypeError);
      assert.throws(() => verifySignature(card.privateKey, { data: challenge }, signature), TypeError);
      assert.throws(() => verifySignature(card.publicKey, {} as { data: Uint8Array }, signature), TypeError);
    });
  });
});
