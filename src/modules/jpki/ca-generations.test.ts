// jpki init: two CAs whose certificates OpenSSL reads, idempotent, key rollover keeping old generations, keys sealed at rest.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, webcrypto } from 'node:crypto';
import { createTestPlatform, type TestPlatform } from '../../../test/support/test-platform.ts';
import { createSealedKeyStore } from './sealed-key-store.ts';
import { caValidity } from './ca-generations.ts';
import { PlatformError } from '../../kernel/errors.ts';
import { missingTool } from '../../../test/support/require-tool.ts';
import { opensslX509 } from '../../../test/support/openssl.ts';

const opensslMissing = missingTool('openssl', 'apt-get install -y openssl');

describe('JPKI certificate authorities', () => {
  let t: TestPlatform;
  before(async () => { t = await createTestPlatform(); });
  after(() => t.close());

  test('before init the CA certificate routes answer 409 problem+json', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/jpki/ca/sign.cer' });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().code, 'JPKI_CA_NOT_INITIALISED');
  });

  test('init creates both CAs with the real roots\' names and 10-year validity, served as DER', { skip: opensslMissing }, async () => {
    const { created, existing } = await t.platform.jpki.initCertificateAuthorities();
    assert.deepEqual(created.map((c) => c.kind).sort(), ['auth', 'sign']);
    assert.equal(existing.length, 0);
    for (const kind of ['sign', 'auth'] as const) {
      const res = await t.app.inject({ method: 'GET', url: `/jpki/ca/${kind}.cer` });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/pkix-cert');
      const subject = opensslX509(res.rawPayload, '-subject', '-nameopt', 'RFC2253');
      const ou = kind === 'sign' ? 'JPKI for digital signature' : 'JPKI for user authentication';
      assert.equal(subject.trim(), `subject=OU=Japan Agency for Local Authority Information Systems,OU=${ou},O=JPKI,C=JP`);
      const dates = opensslX509(res.rawPayload, '-enddate');
      assert.match(dates, /notAfter=Nov 23 14:59:59 2036 GMT/);
    }
  });

  test('init again changes nothing; a new generation takes over issuing and the old one stays', async () => {
    const before = await t.platform.jpki.issuingCa('sign');
    const again = await t.platform.jpki.initCertificateAuthorities();
    assert.equal(again.created.length, 0);
    assert.equal((await t.platform.jpki.issuingCa('sign')).id, before.id);
    const rolled = await t.platform.jpki.initCertificateAuthorities({ newGeneration: true });
    assert.deepEqual(rolled.created.map((c) => c.generation), [2, 2]);
    const generations = await t.platform.jpki.caGenerations('sign');
    assert.deepEqual(generations.map((g) => [g.generation, g.issuing]), [[2, true], [1, false]]);
    assert.notEqual(generations[0]!.serialHex, generations[1]!.serialHex);
  });

  test('CA keys are sealed: no PKCS#8 in the table, and another sealing key cannot open them', async () => {
    const rows = await t.platform.database.db.selectFrom('jpki.sealed_keys').select(['ref', 'sealed']).execute();
    assert.equal(rows.length, 4);
    const rsaOid = Buffer.from('06092a864886f70d010101', 'hex');
    for (const row of rows) assert.equal(Buffer.from(row.sealed).indexOf(rsaOid), -1, 'plain PKCS#8 found');
    const wrong = createSealedKeyStore(t.platform.database.db, t.clock, randomBytes(32));
    await assert.rejects(wrong.signingKey(rows[0]!.ref), (e) => e instanceof PlatformError && e.code === 'JPKI_KEY_UNSEALING_FAILED');
  });

  test('the issuing key signs what the CA certificate\'s key verifies', async () => {
    const store = createSealedKeyStore(t.platform.database.db, t.clock, randomBytes(32));
    const { ref, publicKey } = await store.generateRsaKeyPair('test');
    const signing = await store.signingKey(ref);
    assert.equal(signing.extractable, false);
    const data = Buffer.from('公的個人認証');
    const signature = await webcrypto.subtle.sign('RSASSA-PKCS1-v1_5', signing, data);
    assert.ok(await webcrypto.subtle.verify('RSASSA-PKCS1-v1_5', publicKey, signature, data));
  });

  test('validity ends at 23:59:59 JST the day before the tenth anniversary', () => {
    const { notBefore, notAfter } = caValidity(new Date('2023-07-16T03:04:05.678Z'));
    assert.equal(notBefore.toISOString(), '2023-07-16T03:04:05.000Z');
    assert.equal(notAfter.toISOString(), '2033-07-15T14:59:59.000Z');
  });
});
