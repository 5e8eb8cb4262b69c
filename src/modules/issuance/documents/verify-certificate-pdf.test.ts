// Tests of verification: genuine documents, every kind of alteration, and the documents we cannot vouch for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderCertificatePdf } from './render-certificate.ts';
import { sampleCertificate } from './sample-certificates.ts';
import { signPdf } from './sign-pdf.ts';
import { issueCertificatePdf } from './issue-certificate-pdf.ts';
import { makeTestPayloadKey, makeTestSigningAuthority } from './test-signing-identity.ts';
import { makeVerificationPayload } from './verification-payload.ts';
import { verifyCertificatePdf, type VerificationTrust } from './verify-certificate-pdf.ts';
import { findLastSignature } from './pdf-signature-fields.ts';
import { flipped, minimalPdf, otherHexDigit, pageContentByte } from './test-pdf-bytes.ts';
import { seededRandom } from '../../../../test/support/seeded-random.ts';

const mitaka = await makeTestSigningAuthority();
const stranger = await makeTestSigningAuthority({ municipality: '架空市' });
const { key, jwks } = await makeTestPayloadKey('132047-2025');
const trust: VerificationTrust = { pdfSigningCas: [mitaka.caCertificate], payloadKeys: jwks };
const doc = sampleCertificate('juminhyo', { serialNumber: '2025-000777' });
const { pdf: genuine } = await issueCertificatePdf(doc, { payloadKey: key, signer: mitaka.identity });

test('an issued certificate is genuine, and the answer names it', async () => {
  const v = await verifyCertificatePdf(genuine, trust);
  assert.equal(v.result, 'genuine', v.reason);
  assert.equal(v.code, 'GENUINE');
  assert.equal(v.serialNumber, '2025-000777');
  assert.equal(v.lgCode, '132047');
  assert.equal(v.kind, 'juminhyo');
  assert.equal(v.issuedAt, '2025-11-24T01:15:00Z');
  assert.equal(v.signer, 'C=JP, O=三鷹市, CN=三鷹市長');
});

test('the signature covers the whole file except its own value', () => {
  const fields = findLastSignature(genuine)!;
  const [a, b, c, d] = fields.byteRange;
  assert.equal(a, 0);
  assert.equal(c + d, genuine.length);
  assert.ok(fields.gapIsHexString && c - b === 2 * Math.ceil((c - b) / 2));
});

test('one flipped bit in the page content, the Info dictionary or the file header is an alteration', async () => {
  const text = Buffer.from(genuine).toString('latin1');
  for (const at of [pageContentByte(genuine), text.indexOf('/MynaVerification') + 40, 12, genuine.length - 3]) {
    const v = await verifyCertificatePdf(flipped(genuine, at), trust);
    assert.equal(v.result, 'altered', `byte ${at}: ${v.code}`);
  }
});

test('bytes added after signing, a truncated file or a damaged signature value are alterations', async () => {
  const appended = new Uint8Array([...genuine, ...Buffer.from('\n1 0 obj\n<< >>\nendobj\n')]);
  assert.equal((await verifyCertificatePdf(appended, trust)).code, 'BYTES_OUTSIDE_SIGNATURE');
  assert.equal((await verifyCertificatePdf(genuine.subarray(0, genuine.length - 10), trust)).result, 'altered');
  const { byteRange: [, gapStart], contents } = findLastSignature(genuine)!;
  // The CMS is one DER SEQUENCE (30 82 hi lo); the RSA signature value is its last 256 bytes.
  const cmsLength = 4 + ((contents[2]! << 8) | contents[3]!);
  const inSignatureValue = gapStart + 1 + 2 * (cmsLength - 100);
  assert.equal((await verifyCertificatePdf(otherHexDigit(genuine, inSignatureValue), trust)).code, 'SIGNATURE_INVALID');
  const inCertificates = gapStart + 1 + 2 * 200;
  assert.equal((await verifyCertificatePdf(otherHexDigit(genuine, inCertificates), trust)).result, 'altered');
  const notHex = genuine.slice();
  notHex[gapStart + 1] = 0x20;
  assert.equal((await verifyCertificatePdf(notHex, trust)).result, 'altered');
});

test('random damage anywhere (a changed byte, a cut, an insertion) is never genuine and never throws, except in what the verdict does not rest on', async () => {
  const random = seededRandom(Number(process.env['FUZZ_SEED'] ?? 7));
  const { byteRange: [, gapStart, gapEnd], contents } = findLastSignature(genuine)!;
  // The hex string is <…>: the CMS DER, then '0' padding up to the reserved size. Two parts of it
  // are not signed and not used: the padding, and the CMS's copy of the CA certificate (kept for
  // other PDF readers; the verifier chains to its own trust anchor). A different digit there leaves
  // the document as it was signed: it is still genuine.
  const hexOf = (from: number, length: number) => ({ from: gapStart! + 1 + 2 * from, to: gapStart! + 1 + 2 * (from + length) });
  const cmsLength = 4 + ((contents[2]! << 8) | contents[3]!);
  const caCopyAt = Buffer.from(contents).indexOf(Buffer.from(mitaka.caCertificate));
  assert.ok(caCopyAt > 0, 'the CMS carries a copy of the CA certificate');
  const unused = [hexOf(cmsLength, (gapEnd! - gapStart! - 2) / 2 - cmsLength), hexOf(caCopyAt, mitaka.caCertificate.length)];
  const counts: Record<string, number> = {};
  for (let round = 0; round < 300; round++) {
    const at = random.int(genuine.length);
    const damaged = (() => {
      switch (random.int(3)) {
        case 0: {
          const copy = genuine.slice();
          copy[at] = (copy[at]! + 1 + random.int(255)) & 0xff;
          return copy;
        }
        case 1: return genuine.slice(0, at);
        default: return new Uint8Array([...genuine.subarray(0, at), ...random.bytes(1 + random.int(16)), ...genuine.subarray(at)]);
      }
    })();
    const v = await verifyCertificatePdf(damaged, trust);
    counts[v.code] = (counts[v.code] ?? 0) + 1;
    if (v.result === 'genuine') {
      assert.equal(damaged.length, genuine.length, `round ${round}: a cut or an insertion at ${at} read genuine`);
      // A hex digit in the other case is the same byte of the signature.
      const sameHexDigit = at > gapStart! && at < gapEnd! - 1 && String.fromCharCode(damaged[at]!).toLowerCase() === String.fromCharCode(genuine[at]!).toLowerCase();
      assert.ok(sameHexDigit || unused.some((r) => at >= r.from && at < r.to), `round ${round}: a changed byte at ${at} read genuine (unused: ${JSON.stringify(unused)})`);
    }
  }
  assert.ok(Object.keys(counts).length >= 3, `damage is caught by several checks: ${JSON.stringify(counts)}`);
});

test('a certificate signed under another CA, or checked without trust anchors, is unknown', async () => {
  const { pdf } = await issueCertificatePdf(doc, { payloadKey: key, signer: stranger.identity });
  assert.equal((await verifyCertificatePdf(pdf, trust)).code, 'SIGNER_UNTRUSTED');
  assert.equal((await verifyCertificatePdf(genuine, { ...trust, pdfSigningCas: [] })).result, 'unknown');
  assert.equal((await verifyCertificatePdf(pdf, { ...trust, pdfSigningCas: [stranger.caCertificate] })).result, 'genuine');
});

test('a signing time outside the signer certificate is unknown', async () => {
  const { pdf } = await issueCertificatePdf(doc, { payloadKey: key, signer: mitaka.identity, signingTime: new Date('2020-01-01T00:00:00Z') });
  assert.equal((await verifyCertificatePdf(pdf, trust)).code, 'SIGNER_NOT_VALID_AT_SIGNING_TIME');
});

test('an unsigned PDF, another PDF and a file that is no PDF are unknown', async () => {
  const unsigned = await renderCertificatePdf(doc, { verificationToken: await makeVerificationPayload(doc, key) });
  assert.equal((await verifyCertificatePdf(unsigned, trust)).code, 'NOT_SIGNED');
  assert.equal((await verifyCertificatePdf(new TextEncoder().encode('%PDF-1.4\n%%EOF\n'), trust)).code, 'NOT_SIGNED');
  assert.equal((await verifyCertificatePdf(new TextEncoder().encode('hello, world'), trust)).code, 'NOT_PDF');
  assert.equal((await verifyCertificatePdf(new Uint8Array(0), trust)).code, 'NOT_PDF');
});

test('a PDF signed by a trusted municipality but without our payload, or under an untrusted payload key, is unknown', async () => {
  // A trusted signer's PDF that is not one of our certificates: no /MynaVerification.
  const plain = await signPdf(new TextEncoder().encode(minimalPdf()), mitaka.identity);
  const v = await verifyCertificatePdf(plain, trust);
  assert.equal(v.code, 'PAYLOAD_MISSING', v.reason);
  const otherKeys = await makeTestPayloadKey('132047-2025');
  assert.equal((await verifyCertificatePdf(genuine, { ...trust, payloadKeys: otherKeys.jwks })).result, 'unknown');
});

test('a token that does not match the embedded content is unknown', async () => {
  // The municipality signed a PDF whose QR token was made for another document.
  const other = sampleCertificate('juminhyo', { serialNumber: '2025-000778' });
  const mismatched = await signPdf(await renderCertificatePdf(doc, { verificationToken: await makeVerificationPayload(other, key) }), mitaka.identity);
  assert.equal((await verifyCertificatePdf(mismatched, trust)).code, 'PAYLOAD_MISMATCH');
});
