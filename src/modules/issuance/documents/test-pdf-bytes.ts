// Byte-level helpers for the documents' tests: where page content lies in a PDF, a one-bit change, a minimal signable PDF.
import assert from 'node:assert/strict';

/** Offset of a byte in the middle of page 1's content stream (deflated drawing operators). */
export function pageContentByte(pdf: Uint8Array): number {
  const text = Buffer.from(pdf).toString('latin1');
  const page = /\/Type \/Page\n[^>]*?\/Contents (\d+) 0 R/.exec(text);
  assert.ok(page, 'no page object');
  const object = text.indexOf(`\n${page[1]} 0 obj`);
  const stream = text.indexOf('stream\n', object) + 'stream\n'.length;
  const length = Number(/\/Length (\d+)/.exec(text.slice(object, stream))![1]);
  return stream + Math.floor(length / 2);
}

/** A copy of `pdf` with the lowest bit of byte `at` inverted. */
export function flipped(pdf: Uint8Array, at: number): Uint8Array {
  const copy = pdf.slice();
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

/** A copy of `pdf` with the hex digit at `at` replaced by another hex digit (the file stays well formed). */
export function otherHexDigit(pdf: Uint8Array, at: number): Uint8Array {
  const copy = pdf.slice();
  copy[at] = copy[at] === 0x30 ? 0x31 : 0x30;
  return copy;
}

/** The smallest PDF @signpdf's plain placeholder can sign: one empty page. */
export function minimalPdf(): string {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
    '<< /Producer (test) >>',
  ];
  let body = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => { offsets.push(body.length); body += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  return `${body}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 4 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
}
