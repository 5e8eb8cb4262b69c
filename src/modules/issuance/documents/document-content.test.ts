// Tests of the canonical content: RFC 8785 serialisation, what the digest covers and what it leaves out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, contentDigest, documentContent } from './document-content.ts';
import { sampleCertificate } from './sample-certificates.ts';
import type { CertificateDocument } from './certificate-document.ts';

test('canonical JSON sorts keys by UTF-16 code units and has no whitespace (RFC 8785 §3.2)', () => {
  // U+2028 stays as is and a control character is escaped, as ECMAScript's JSON.stringify does (§3.2.2.2).
  assert.equal(canonicalJson({ b: 1, a: [true, null, 'x'], A: { z: '住所', y: '\u2028\u0001' } }), '{"A":{"y":"\u2028\\u0001","z":"住所"},"a":[true,null,"x"],"b":1}');
  // RFC 8785 §3.2.3's example order: code units, so "\u20ac" (€) sorts after "\r" and "1".
  assert.equal(canonicalJson({ '\u20ac': 1, '\r': 2, '1': 3 }), '{"\\r":2,"1":3,"€":1}');
  assert.throws(() => canonicalJson(1.5), TypeError);
});

test('the digest changes with any printed text, not with layout', () => {
  const doc = sampleCertificate('juminhyo');
  const base = Buffer.from(contentDigest(doc)).toString('hex');
  const edited: CertificateDocument = structuredClone(doc);
  const table = edited.sections[1];
  assert.ok(table?.type === 'table');
  table.rows[0]![0] = '鷹野 二郎\n（タカノ ジロウ）';
  assert.notEqual(Buffer.from(contentDigest(edited)).toString('hex'), base);
  const relaid: CertificateDocument = structuredClone(doc);
  const relaidTable = relaid.sections[1];
  assert.ok(relaidTable?.type === 'table');
  relaidTable.columns[0]!.weight = 5;
  assert.equal(Buffer.from(contentDigest(relaid)).toString('hex'), base);
  const later = { ...doc, issuedAt: new Date(doc.issuedAt.getTime() + 1000) };
  assert.notEqual(Buffer.from(contentDigest(later)).toString('hex'), base);
});

test('the content carries the registered seal as a SHA-256, and the issue time to the second', () => {
  const doc = sampleCertificate('inkan', { issuedAt: new Date('2025-11-24T01:15:00.789Z') });
  const content = documentContent(doc) as Record<string, unknown>;
  assert.match(String(content['sealImageSha256']), /^[0-9a-f]{64}$/);
  assert.equal(content['issuedAt'], '2025-11-24T01:15:00Z');
  const otherSeal = { ...doc, sealImage: { png: new Uint8Array([...doc.sealImage!.png, 0]) } };
  assert.notDeepEqual(contentDigest(otherSeal), contentDigest(doc));
});
