// Tests of the QR code's token: what it carries, that it is short enough for a printable QR code, and how it is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base64url, decodeProtectedHeader } from 'jose';
import { contentDigest } from './document-content.ts';
import { sampleCertificate } from './sample-certificates.ts';
import { makeTestPayloadKey } from './test-signing-identity.ts';
import { makeVerificationPayload, readVerificationPayload, VERIFICATION_TOKEN_TYPE } from './verification-payload.ts';
import { qrModules } from './verification-qr.ts';

test('the token carries serial, lgCode, kind, issue time and the content digest, under a typed ES256 header', async () => {
  const { key, jwks } = await makeTestPayloadKey('132047-2025');
  const doc = sampleCertificate('tax', { serialNumber: '2025-004711' });
  const token = await makeVerificationPayload(doc, key);
  assert.deepEqual(decodeProtectedHeader(token), { alg: 'ES256', kid: '132047-2025', typ: VERIFICATION_TOKEN_TYPE });
  const read = await readVerificationPayload(token, jwks);
  assert.ok(read.ok);
  assert.deepEqual(read.payload, {
    serialNumber: '2025-004711', lgCode: '132047', kind: 'tax', issuedAt: '2025-11-24T01:15:00Z', contentDigest: base64url.encode(contentDigest(doc)),
  });
});

test('the token fits a QR code of version 14 or less, 0.33 mm a module within 30 mm', async () => {
  const { key } = await makeTestPayloadKey('132047-2025');
  const token = await makeVerificationPayload(sampleCertificate('koseki_fuhyo', { serialNumber: 'R07-2025-0001234567' }), key);
  assert.ok(token.length < 360, `token is ${token.length} characters`);
  const { size } = qrModules(token);
  // Version v has 17 + 4v modules.
  assert.ok(size <= 17 + 4 * 14, `QR code has ${size} modules`);
});

test('a token is refused under an unknown key, with a changed payload, or with another typ', async () => {
  const { key, jwks } = await makeTestPayloadKey('132047-2025');
  const other = await makeTestPayloadKey('132047-2025');
  const token = await makeVerificationPayload(sampleCertificate('juminhyo'), key);
  const notTrusted = await readVerificationPayload(token, other.jwks);
  assert.equal(notTrusted.ok, false);
  const unknownKid = await readVerificationPayload(token, { keys: jwks.keys.map((k) => ({ ...k, kid: 'other' })) });
  assert.deepEqual(unknownKid.ok ? undefined : unknownKid.reason, 'untrusted-key');
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, sn: '9999' })).toString('base64url')}.${signature}`;
  const changed = await readVerificationPayload(forged, jwks);
  assert.deepEqual(changed.ok ? undefined : changed.reason, 'bad-signature');
  assert.deepEqual((await readVerificationPayload('not.a.token', jwks)).ok, false);
  await assert.rejects(makeVerificationPayload(sampleCertificate('juminhyo'), { ...key, alg: 'RS256' as 'ES256' }), TypeError);
});

test('a lookup function can stand in for the JWK set', async () => {
  const { key } = await makeTestPayloadKey('132047-2025');
  const token = await makeVerificationPayload(sampleCertificate('inkan'), key);
  const { webcrypto } = await import('node:crypto');
  const jwk = await webcrypto.subtle.exportKey('jwk', key.privateKey);
  const publicKey = await webcrypto.subtle.importKey('jwk', { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']);
  const seen: string[] = [];
  const read = await readVerificationPayload(token, async (header) => { seen.push(String(header.kid)); return publicKey; });
  assert.ok(read.ok);
  assert.deepEqual(seen, ['132047-2025']);
});
