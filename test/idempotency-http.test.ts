// Retries with an Idempotency-Key get the first answer and change nothing again; a reused key with another body is refused.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { createTestPlatform, type TestPlatform } from './support/test-platform.ts';

const docExample = /```csv\n([\s\S]*?)```/.exec(readFileSync(new URL('../docs/registry-import.md', import.meta.url), 'utf8'))![1]!;

describe('Idempotency-Key', () => {
  let t: TestPlatform;
  let householdId: string;
  const baby = (givenName: string) => ({
    householdId: '',
    occurredOn: '2026-11-20',
    person: {
      relationship: '子', familyName: '山田', givenName, familyNameKana: 'ヤマダ', givenNameKana: 'ミライ',
      birthDate: '2026-11-20', sex: 'female', honseki: '東京都三鷹市下連雀三丁目1番地', hittosha: '山田 太郎',
    },
  });
  const births = async () => Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM registry.residents WHERE given_name_kana = 'ミライ'`.execute(t.platform.database.db)).rows[0]!.n);
  const post = (body: unknown, key?: string) => t.app.inject({
    method: 'POST', url: '/registry/v1/births', payload: body as object,
    headers: { authorization: `Bearer ${t.apiKey}`, ...(key ? { 'idempotency-key': key } : {}) },
  });

  before(async () => {
    t = await createTestPlatform();
    await t.registry.importResidentsCsv(t.lgCode, Readable.from([Buffer.from(docExample)]), { actor: t.staff });
    householdId = (await t.platform.database.db.selectFrom('registry.households').select('id').where('household_no', '=', 'H001').executeTakeFirstOrThrow()).id;
  });
  after(() => t.close());

  test('a retried 出生届 returns the first answer and registers one child', async () => {
    const body = { ...baby('未来'), householdId };
    const first = await post(body, 'birth-0001-retry');
    assert.equal(first.statusCode, 201, first.body);
    const second = await post(body, 'birth-0001-retry');
    assert.equal(second.statusCode, 201);
    assert.equal(second.headers['idempotent-replayed'], 'true');
    assert.equal(second.json().id, first.json().id);
    assert.equal(await births(), 1);
    // Without a key the same request is a new 出生届 (here: the same child again, which is allowed data-wise).
    assert.equal((await post({ ...body, person: { ...body.person, givenName: '美来' } })).statusCode, 201);
    assert.equal(await births(), 2);
  });

  test('the same key with another body is refused and changes nothing', async () => {
    const before = await births();
    const res = await post({ ...baby('みく'), householdId }, 'birth-0001-retry');
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().code, 'KERNEL_IDEMPOTENCY_KEY_REUSED');
    assert.equal(await births(), before);
  });

  test('a refused request frees its key for the corrected retry', async () => {
    const missing = await post({ ...baby('未来'), householdId: '00000000-0000-4000-8000-000000000000' }, 'birth-0002-fixed');
    assert.equal(missing.statusCode, 404);
    const fixed = await post({ ...baby('実来'), householdId }, 'birth-0002-fixed');
    assert.equal(fixed.statusCode, 201, fixed.body);
  });

  test('a malformed key is a clear 400', async () => {
    const res = await post({ ...baby('未来'), householdId }, 'no spaces allowed');
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().code, 'KERNEL_IDEMPOTENCY_KEY_INVALID');
  });
});
