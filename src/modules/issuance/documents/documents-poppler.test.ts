// The documents as an outside reader sees them (poppler-utils): real text, an embedded font subset, a PAdES signature pdfsig accepts, and one it rejects once altered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { CERTIFICATE_KINDS, type CertificateKind } from './certificate-document.ts';
import { issueCertificatePdf } from './issue-certificate-pdf.ts';
import { sampleCertificate } from './sample-certificates.ts';
import { flipped, pageContentByte } from './test-pdf-bytes.ts';
import { makeTestPayloadKey, makeTestSigningAuthority } from './test-signing-identity.ts';

/**
 * The `skip` option of a test that needs `tool`: false when it is on PATH, else the install hint; under
 * CI=true a missing tool is an error. (The same rule as test/support/require-tool.ts, which src/ may not import.)
 */
function missingTool(tool: string, install: string): false | string {
  if (spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0) return false;
  if (process.env['CI'] === 'true') throw new Error(`${tool} is required in CI but missing; .ci/run must install it (${install})`);
  return `${tool} が見つかりません。インストールしてください: ${install}`;
}

const POPPLER = 'apt-get install -y poppler-utils';
const dir = mkdtempSync(join(tmpdir(), 'myna-documents-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const authority = await makeTestSigningAuthority();
const { key } = await makeTestPayloadKey();
const issued = new Map<CertificateKind | 'large', string>();
for (const kind of CERTIFICATE_KINDS) {
  const { pdf } = await issueCertificatePdf(sampleCertificate(kind), { payloadKey: key, signer: authority.identity });
  issued.set(kind, join(dir, `${kind}.pdf`));
  writeFileSync(issued.get(kind)!, pdf);
}
const large = await issueCertificatePdf(sampleCertificate('juminhyo', { members: 14 }), { payloadKey: key, signer: authority.identity });
issued.set('large', join(dir, 'large.pdf'));
writeFileSync(issued.get('large')!, large.pdf);
const altered = join(dir, 'altered.pdf');
writeFileSync(altered, flipped(large.pdf, pageContentByte(large.pdf)));

/** stdout and stderr of `tool` (pdfsig's exit status says less than its text, so the text is what tests read). */
function run(tool: string, ...args: string[]): string {
  const result = spawnSync(tool, args, { encoding: 'utf8' });
  if (result.error) throw result.error;
  return `${result.stdout}${result.stderr}`;
}

/** Like run, for set-up steps that must succeed. */
function runOk(tool: string, ...args: string[]): void {
  const result = spawnSync(tool, args, { encoding: 'utf8' });
  if (result.error || result.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed: ${result.error?.message ?? result.stderr}`);
}

/** pdftotext's text with whitespace removed: letter-spaced titles come out as 住 民 票…. */
const text = (file: string) => run('pdftotext', '-layout', file, '-').replace(/\s+/g, '');

test('pdftotext finds the title, names and addresses as text', { skip: missingTool('pdftotext', POPPLER) }, () => {
  const expected: Record<CertificateKind, string[]> = {
    juminhyo: ['住民票の写し', '東京都三鷹市下連雀三丁目12番5号', '鷹野一郎', '鷹野美咲', '令和7年11月24日', '発行番号2025-000123', 'コンビニ交付', '三鷹市長鷹野太郎'],
    juminhyo_kisai_jiko: ['住民票記載事項証明書', '鷹野一郎', '東京都三鷹市下連雀三丁目12番5号'],
    inkan: ['印鑑登録証明書', '印影', '鷹野一郎', '東京都三鷹市下連雀三丁目12番5号'],
    tax: ['所得・課税証明書', '令和7年度', '4,560,000円', '297,000円', '鷹野一郎'],
    koseki: ['戸籍全部事項証明書', '東京都三鷹市野崎一丁目1番地', '【名】一郎', '【配偶者氏名】山田花子'],
    koseki_fuhyo: ['戸籍の附票の写し', '東京都武蔵野市吉祥寺本町二丁目3番4号', '鷹野翔太'],
  };
  for (const kind of CERTIFICATE_KINDS) {
    const found = text(issued.get(kind)!);
    for (const s of expected[kind]) assert.ok(found.includes(s), `${kind}: 「${s}」 not in ${found.slice(0, 200)}…`);
  }
  const pages = run('pdftotext', issued.get('large')!, '-');
  assert.match(pages, /1\/2/);
  assert.match(pages, /2\/2/);
});

test('pdffonts shows Noto Sans JP embedded as a subset', { skip: missingTool('pdffonts', POPPLER) }, () => {
  for (const file of issued.values()) {
    const rows = run('pdffonts', file).split('\n').slice(2).filter((l) => l.trim());
    assert.ok(rows.length >= 1 && rows.length <= 2, rows.join('\n'));
    for (const row of rows) {
      assert.match(row, /^[A-Z]{6}\+NotoSansJP-(Regular|Bold)\s+CID TrueType\s+Identity-H\s+yes yes yes/, row);
    }
  }
});

test('pdfsig finds one valid ETSI.CAdES.detached signature over the whole document', { skip: missingTool('pdfsig', POPPLER) }, () => {
  for (const file of issued.values()) {
    const out = run('pdfsig', '-no-ocsp', file);
    assert.match(out, /Signature Type: ETSI\.CAdES\.detached/);
    assert.match(out, /Signing Hash Algorithm: SHA-256/);
    assert.match(out, /Total document signed/);
    assert.match(out, /Signature Validation: Signature is Valid\./, out);
  }
});

test('pdfsig reports a certificate with one changed bit in its page content as not valid', { skip: missingTool('pdfsig', POPPLER) }, () => {
  const out = run('pdfsig', '-no-ocsp', altered);
  assert.doesNotMatch(out, /Signature is Valid/);
  assert.match(out, /Signature Validation: Digest Mismatch\./, out);
});

test('with the test CA in an NSS database, pdfsig trusts the signer', { skip: missingTool('certutil', 'apt-get install -y libnss3-tools') || missingTool('pdfsig', POPPLER) }, () => {
  const nss = join(dir, 'nssdb');
  const ca = join(dir, 'ca.der');
  writeFileSync(ca, authority.caCertificate);
  mkdirSync(nss);
  runOk('certutil', '-N', '-d', `sql:${nss}`, '--empty-password');
  // C,C,C: a trusted CA for TLS, e-mail and object signing; pdfsig checks the signer for the e-mail signer usage.
  runOk('certutil', '-A', '-d', `sql:${nss}`, '-n', 'myna-test-document-ca', '-t', 'C,C,C', '-i', ca);
  const out = run('pdfsig', '-no-ocsp', '-nssdir', `sql:${nss}`, issued.get('juminhyo')!);
  assert.match(out, /Signature Validation: Signature is Valid\./, out);
  assert.match(out, /Certificate Validation: Certificate is Trusted\./, out);
});

test('the printed QR code scans (pdftoppm at 300 dpi, jsQR) and carries the verification token', { skip: missingTool('pdftoppm', POPPLER) }, async () => {
  const { loadImage, createCanvas } = await import('@napi-rs/canvas');
  // jsqr is CommonJS whose module.exports is the function (its typings describe it as an ES default export).
  const jsQR = createRequire(import.meta.url)('jsqr') as typeof import('jsqr').default;
  for (const kind of ['juminhyo', 'koseki'] as const) {
    const doc = sampleCertificate(kind);
    const { pdf, token } = await issueCertificatePdf(doc, { payloadKey: key, signer: authority.identity });
    const file = join(dir, `qr-${kind}.pdf`);
    writeFileSync(file, pdf);
    // The QR code sits under the last page's certification text.
    const pages = Number(/Pages:\s+(\d+)/.exec(run('pdfinfo', file))![1]);
    runOk('pdftoppm', '-r', '300', '-png', '-f', String(pages), '-l', String(pages), '-singlefile', file, join(dir, `qr-${kind}`));
    const image = await loadImage(join(dir, `qr-${kind}.png`));
    // The code is in the left third of the page (the body's left edge): scanning only that keeps jsQR quick.
    const width = Math.ceil(image.width / 3);
    const canvas = createCanvas(width, image.height);
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const pixels = context.getImageData(0, 0, width, image.height);
    const found = jsQR(new Uint8ClampedArray(pixels.data), width, image.height, { inversionAttempts: 'dontInvert' });
    assert.equal(found?.data, token, `${kind}: the QR code read back`);
  }
});
