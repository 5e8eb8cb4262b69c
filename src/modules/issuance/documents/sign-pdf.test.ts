// Tests of the PAdES signature's structure: the signature dictionary, the CMS signed attributes PAdES baseline B-B asks for, and an independent check with pkijs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { cryptoEngine, OID, parseCertificate } from './cades-signature.ts';
import { findLastSignature } from './pdf-signature-fields.ts';
import { renderCertificatePdf } from './render-certificate.ts';
import { sampleCertificate } from './sample-certificates.ts';
import { signPdf } from './sign-pdf.ts';
import { makeTestPayloadKey, makeTestSigningAuthority } from './test-signing-identity.ts';
import { makeVerificationPayload } from './verification-payload.ts';

const { identity, caCertificate } = await makeTestSigningAuthority();
const { key } = await makeTestPayloadKey();
const doc = sampleCertificate('inkan');
const unsigned = await renderCertificatePdf(doc, { verificationToken: await makeVerificationPayload(doc, key) });
const signingTime = new Date('2026-11-24T03:04:05Z');
const signed = await signPdf(unsigned, identity, { signingTime, location: '東京都三鷹市', name: '三鷹市長' });
const text = Buffer.from(signed).toString('latin1');
const fields = findLastSignature(signed)!;
const [offset1, length1, offset2, length2] = fields.byteRange;
const covered = Buffer.concat([signed.subarray(offset1, offset1 + length1), signed.subarray(offset2, offset2 + length2)]);
const cms = new pkijs.SignedData({ schema: new pkijs.ContentInfo({ schema: asn1js.fromBER(new Uint8Array(fields.contents).buffer).result }).content });

test('the signature dictionary is ETSI.CAdES.detached with the claimed signing time in /M, appended as an incremental update', () => {
  assert.match(text, /\/SubFilter \/ETSI\.CAdES\.detached/);
  assert.match(text, /\/Filter \/Adobe\.PPKLite/);
  assert.deepEqual(fields.signingTime, signingTime);
  // The unsigned PDF is kept byte for byte in front of the update, so its own xref stays valid.
  assert.deepEqual(signed.subarray(0, unsigned.length - 1), unsigned.subarray(0, unsigned.length - 1));
  // The placeholder is sized to the certificates, not @signpdf's 8 KB default.
  assert.ok(offset2 - length1 < 2 * 4096, `placeholder of ${offset2 - length1} hex characters`);
});

test('the CMS is detached SignedData with content-type, message-digest and signing-certificate-v2, and no signing-time (EN 319 142-1 §5.4)', () => {
  assert.equal(cms.encapContentInfo.eContentType, OID.data);
  assert.equal(cms.encapContentInfo.eContent, undefined);
  const signer = cms.signerInfos[0]!;
  assert.equal(signer.digestAlgorithm.algorithmId, OID.sha256);
  assert.deepEqual(signer.signedAttrs!.attributes.map((a) => a.type), [OID.contentType, OID.messageDigest, OID.signingCertificateV2]);
  const digest = signer.signedAttrs!.attributes[1]!.values[0] as asn1js.OctetString;
  assert.deepEqual(Buffer.from(digest.valueBlock.valueHexView), createHash('sha256').update(covered).digest());
  const ess = signer.signedAttrs!.attributes[2]!.values[0] as asn1js.Sequence;
  const certHash = ((ess.valueBlock.value[0] as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence).valueBlock.value[0] as asn1js.OctetString;
  assert.deepEqual(Buffer.from(certHash.valueBlock.valueHexView), createHash('sha256').update(identity.certificate).digest());
  assert.equal(signer.signatureAlgorithm.algorithmId, '1.2.840.113549.1.1.11');
  assert.deepEqual((cms.certificates ?? []).map((c) => Buffer.from((c as pkijs.Certificate).toSchema().toBER()).toString('hex')),
    [identity.certificate, caCertificate].map((c) => Buffer.from(c).toString('hex')));
});

test('pkijs verifies the signature and the chain on its own', async () => {
  const verified = await cms.verify({
    signer: 0, data: new Uint8Array(covered).buffer, trustedCerts: [parseCertificate(caCertificate)], checkChain: true, checkDate: signingTime,
  }, cryptoEngine);
  assert.equal(verified, true);
});

test('signPdf refuses a signer without certificate or key', async () => {
  await assert.rejects(signPdf(unsigned, { ...identity, certificate: undefined as unknown as Uint8Array }), TypeError);
  await assert.rejects(signPdf(unsigned, { ...identity, privateKey: undefined as unknown as typeof identity.privateKey }), TypeError);
});
