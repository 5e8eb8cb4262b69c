// Verifiers: registration with a credential shown once, authentication, usage counted per verifier, monthly statements priced from the table.
import 'reflect-metadata';
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestPlatform, type TestPlatform } from './support/test-platform.ts';
import { PlatformError } from '../src/kernel/errors.ts';

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof PlatformError && error.code === code);
}

describe('JPKI verifiers and billing', () => {
  let t: TestPlatform;
  before(async () => { t = await createTestPlatform(); });
  after(() => t.close());

  test('registration returns a credential once; only its hash is stored; it authenticates its verifier only', async () => {
    const jpki = t.platform.jpki;
    const bank = await jpki.registerVerifier({ name: '三鷹信用金庫', kind: 'signature' });
    const shop = await jpki.registerVerifier({ name: 'ミタカ通販', kind: 'user_authentication' });
    assert.match(bank.credential, /^jpkiv_[A-Za-z0-9_-]{43}$/);
    assert.equal((await jpki.authenticateVerifier(bank.credential)).id, bank.verifier.id);
    assert.equal((await jpki.authenticateVerifier(shop.credential)).id, shop.verifier.id);
    const stored = await t.platform.database.db.selectFrom('jpki.verifiers').selectAll().execute();
    assert.ok(!JSON.stringify(stored).includes(bank.credential.slice(6)), 'the credential is not stored');
    await rejectsWith(jpki.authenticateVerifier(undefined), 'JPKI_VERIFIER_UNKNOWN');
    await rejectsWith(jpki.authenticateVerifier(`${bank.credential}x`), 'JPKI_VERIFIER_UNKNOWN');
    await rejectsWith(jpki.registerVerifier({ name: '', kind: 'signature' }), 'JPKI_REQUEST_INVALID');
    await rejectsWith(jpki.registerVerifier({ name: 'x', kind: 'bank' as never }), 'JPKI_REQUEST_INVALID');
    await rejectsWith(jpki.registerVerifier({ name: 'x', kind: 'signature', webhookUrl: 'ftp://example.invalid/' }), 'JPKI_REQUEST_INVALID');
    // Plain http only to this machine; elsewhere https.
    await rejectsWith(jpki.registerVerifier({ name: 'x', kind: 'signature', webhookUrl: 'http://10.0.0.5/hooks' }), 'JPKI_REQUEST_INVALID');
    assert.equal((await jpki.registerVerifier({ name: 'x', kind: 'signature', webhookUrl: 'https://rp.example.jp/hooks' })).verifier.webhookUrl, 'https://rp.example.jp/hooks');
    assert.equal((await jpki.registerVerifier({ name: 'y', kind: 'signature', webhookUrl: 'http://127.0.0.1:9000/hooks' })).verifier.webhookUrl, 'http://127.0.0.1:9000/hooks');
  });

  test('the monthly statement prices each counted use from the table; months are JST and kept apart', async () => {
    const jpki = t.platform.jpki;
    const { verifier } = await jpki.registerVerifier({ name: '電子契約サービス', kind: 'platform_operator' });
    for (let i = 0; i < 7; i += 1) jpki.countUsage(verifier, 'ocsp');
    for (let i = 0; i < 3; i += 1) jpki.countUsage(verifier, 'verify');
    // 2026-11-30T15:00Z is already 12月1日 in Japan.
    t.clock.set('2026-11-30T15:00:00Z');
    jpki.countUsage(verifier, 'ocsp');
    t.clock.set('2026-11-24T01:00:00Z');
    const november = await jpki.monthlyStatement(verifier.id, '2026-11');
    assert.deepEqual(november.lines.map((l) => [l.service, l.quantity, l.unitYen, l.amountYen]), [['ocsp', 7, 2, 14], ['verify', 3, 2, 6]]);
    assert.equal(november.totalYen, 20);
    assert.equal((await jpki.monthlyStatement(verifier.id, '2026-12')).lines[0]!.quantity, 1);
    const other = await jpki.registerVerifier({ name: '別の検証者', kind: 'signature' });
    assert.equal((await jpki.monthlyStatement(other.verifier.id, '2026-11')).totalYen, 0);
    await rejectsWith(jpki.monthlyStatement(verifier.id, '2026-13'), 'JPKI_REQUEST_INVALID');
    await rejectsWith(jpki.monthlyStatement('00000000-0000-4000-8000-000000000000', '2026-11'), 'JPKI_VERIFIER_NOT_FOUND');
    await rejectsWith(jpki.monthlyStatement('not-an-id', '2026-11'), 'JPKI_VERIFIER_NOT_FOUND');
  });
});
