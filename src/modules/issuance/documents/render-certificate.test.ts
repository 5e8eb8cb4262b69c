// Tests of rendering: all six kinds, page breaks for large households, the Info entries verifiers read, size, and caller misuse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';
import { CERTIFICATE_KINDS, type CertificateDocument } from './certificate-document.ts';
import { canonicalContentBytes } from './document-content.ts';
import { sealGrid, sealTextFor } from './official-seal.ts';
import { INFO_KEYS, readInfoString } from './pdf-signature-fields.ts';
import { renderCertificatePdf } from './render-certificate.ts';
import { sampleCertificate } from './sample-certificates.ts';
import { makeTestPayloadKey } from './test-signing-identity.ts';
import { makeVerificationPayload } from './verification-payload.ts';

const { key } = await makeTestPayloadKey();

async function render(doc: CertificateDocument): Promise<Uint8Array> {
  return renderCertificatePdf(doc, { verificationToken: await makeVerificationPayload(doc, key) });
}

/** The page count from the page tree root (pdfkit writes one /Pages with /Count). */
function pageCount(pdf: Uint8Array): number {
  const match = /\/Type \/Pages\s*\/Count (\d+)/.exec(Buffer.from(pdf).toString('latin1'));
  assert.ok(match, 'no page tree');
  return Number(match[1]);
}

test('every kind renders to a small single-file PDF with the token and the content in its Info dictionary', async () => {
  for (const kind of CERTIFICATE_KINDS) {
    const doc = sampleCertificate(kind);
    const token = await makeVerificationPayload(doc, key);
    const pdf = await renderCertificatePdf(doc, { verificationToken: token });
    assert.equal(Buffer.from(pdf.subarray(0, 8)).toString('latin1'), '%PDF-1.7');
    assert.ok(pdf.length < 200_000, `${kind}: ${pdf.length} bytes`);
    assert.equal(readInfoString(pdf, INFO_KEYS.token), token);
    const content = inflateRawSync(Buffer.from(readInfoString(pdf, INFO_KEYS.content)!, 'base64url'));
    assert.deepEqual(new Uint8Array(content), canonicalContentBytes(doc));
  }
});

test('a household of ten fits on one page; fourteen continue on a second', async () => {
  assert.equal(pageCount(await render(sampleCertificate('juminhyo', { members: 4 }))), 1);
  assert.equal(pageCount(await render(sampleCertificate('juminhyo', { members: 10 }))), 1);
  const fourteen = await render(sampleCertificate('juminhyo', { members: 14 }));
  assert.equal(pageCount(fourteen), 2);
});

test('the 公印 reads in columns of three: 三鷹市長之印 is 3 rows × 2 columns', () => {
  assert.equal(sealTextFor('三鷹市長'), '三鷹市長之印');
  assert.deepEqual(sealGrid(6), { rows: 3, columns: 2 });
  assert.deepEqual(sealGrid(4), { rows: 2, columns: 2 });
  assert.deepEqual(sealGrid(8), { rows: 3, columns: 3 });
  assert.deepEqual(sealGrid(7), { rows: 3, columns: 3 });
  assert.throws(() => sealGrid(0), TypeError);
});

test('caller misuse is a TypeError', async () => {
  const doc = sampleCertificate('juminhyo');
  await assert.rejects(renderCertificatePdf(doc, { verificationToken: '' }), TypeError);
  await assert.rejects(renderCertificatePdf({ ...doc, kind: 'passport' as 'juminhyo' }, { verificationToken: 'x' }), TypeError);
  await assert.rejects(renderCertificatePdf({ ...doc, issuedAt: new Date(Number.NaN) }, { verificationToken: 'x' }), TypeError);
  const badTable: CertificateDocument = { ...doc, sections: [{ type: 'table', columns: [{ header: '氏名' }, { header: '続柄' }], rows: [['鷹野 一郎']] }] };
  await assert.rejects(renderCertificatePdf(badTable, { verificationToken: 'x' }), TypeError);
  await assert.rejects(renderCertificatePdf(doc, { verificationToken: 'x'.repeat(600) }), /too dense to print/);
});
