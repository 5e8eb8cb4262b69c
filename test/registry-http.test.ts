// The registry's HTTP API through inject(): authentication, tenant isolation, audited reads, privacy of the number, errors, CSV import.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import Fastify from 'fastify';
import type { Kysely } from 'kysely';
import { sendProblem } from '../src/http/problem.ts';
import { createTestPlatform, type TestPlatform } from './support/test-platform.ts';
import { RESIDENT_CSV_HEADER, registryRoutes, rowToCsvFields, toCsvLine, type ImportRow, type ResidentRecord } from '../src/modules/registry/index.ts';

const BASE = '/registry/v1';
const PURPOSE = '住民票の写しの交付';

let t: TestPlatform;
let db: Kysely<any>;
let auth: Record<string, string>;
let resident: ResidentRecord;

before(async () => {
  t = await createTestPlatform();
  db = t.platform.database.db;
  auth = { authorization: `Bearer ${t.apiKey}` };
  const created = await t.app.inject({
    method: 'POST', url: `${BASE}/move-ins`, headers: auth,
    payload: {
      relationship: '世帯主', occurredOn: '2020-04-01',
      target: { newHousehold: { address: '東京都三鷹市野崎一丁目1番1号', postalCode: '1810014' } },
      person: { familyName: '三鷹', givenName: '太郎', familyNameKana: 'ミタカ', givenNameKana: 'タロウ', birthDate: '1980-04-01', sex: 'male', honseki: '東京都三鷹市野崎一丁目1番地', hittosha: '三鷹太郎' },
    },
  });
  assert.equal(created.statusCode, 201, created.body);
  resident = created.json();
});
after(() => t.close());

function assertProblem(response: { statusCode: number; headers: Record<string, unknown>; json(): any }, status: number, code: string): any {
  assert.equal(response.statusCode, status);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  const body = response.json();
  assert.equal(body.code, code);
  assert.equal(body.status, status);
  assert.ok(body.title && body.type);
  return body;
}

async function lastAudit(action: string, subjectRef: string): Promise<Record<string, any> | undefined> {
  return db.selectFrom('audit.records').selectAll().where('action', '=', action).where('subject_ref', '=', subjectRef).orderBy('seq', 'desc').executeTakeFirst();
}

describe('authentication and tenancy', () => {
  test('no key → 401 KERNEL_AUTH_REQUIRED; a wrong key → 401 KERNEL_AUTH_INVALID', async () => {
    assertProblem(await t.app.inject({ method: 'GET', url: `${BASE}/municipality` }), 401, 'KERNEL_AUTH_REQUIRED');
    assertProblem(await t.app.inject({ method: 'GET', url: `${BASE}/municipality`, headers: { authorization: 'Bearer mnk_132047_wrong' } }), 401, 'KERNEL_AUTH_INVALID');
    assertProblem(await t.app.inject({ method: 'GET', url: `${BASE}/municipality`, headers: { 'x-api-key': 'nope' } }), 401, 'KERNEL_AUTH_INVALID');
    // Rejected before the body is read.
    assertProblem(await t.app.inject({ method: 'POST', url: `${BASE}/imports`, headers: { 'content-type': 'text/csv' }, payload: 'a,b\n' }), 401, 'KERNEL_AUTH_REQUIRED');
  });

  test('both header forms authenticate the staff member of their municipality', async () => {
    const bearer = await t.app.inject({ method: 'GET', url: `${BASE}/municipality`, headers: auth });
    assert.equal(bearer.statusCode, 200);
    assert.equal(bearer.json().name, '三鷹市');
    const apiKey = await t.app.inject({ method: 'GET', url: `${BASE}/municipality`, headers: { 'x-api-key': t.otherApiKey } });
    assert.equal(apiKey.json().lgCode, t.otherLgCode);
  });

  test("staff of another municipality cannot read or change this municipality's resident (404)", async () => {
    const other = { 'x-api-key': t.otherApiKey };
    assertProblem(await t.app.inject({ method: 'GET', url: `${BASE}/residents/${resident.id}?purpose=${encodeURIComponent(PURPOSE)}`, headers: other }), 404, 'REGISTRY_RESIDENT_NOT_FOUND');
    assertProblem(await t.app.inject({ method: 'GET', url: `${BASE}/households/${resident.householdId}?purpose=x`, headers: other }), 404, 'REGISTRY_HOUSEHOLD_NOT_FOUND');
    assertProblem(await t.app.inject({ method: 'POST', url: `${BASE}/residents/${resident.id}/death`, headers: other, payload: { diedOn: '2026-11-20' } }), 404, 'REGISTRY_RESIDENT_NOT_FOUND');
    const search = await t.app.inject({ method: 'POST', url: `${BASE}/residents/search`, headers: other, payload: { purpose: PURPOSE, query: { residentCode: resident.residentCode } } });
    assert.equal(search.json().total, 0);
  });
});

describe('reads', () => {
  test('every read writes an audit record naming the staff member and the purpose', async () => {
    const q = `purpose=${encodeURIComponent(PURPOSE)}`;
    const reads: [string, string][] = [
      [`${BASE}/residents/${resident.id}?${q}`, 'registry.resident.read'],
      [`${BASE}/residents/${resident.id}/history?${q}`, 'registry.resident.history.read'],
      [`${BASE}/households/${resident.householdId}?${q}`, 'registry.household.read'],
      [`${BASE}/residents/${resident.id}/seals?${q}`, 'registry.seal.list'],
      [`${BASE}/residents/${resident.id}/tax-records?${q}`, 'registry.tax.list'],
    ];
    for (const [url, action] of reads) {
      const before = await lastAudit(action, resident.residentCode);
      const response = await t.app.inject({ method: 'GET', url, headers: auth });
      assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
      const record = await lastAudit(action, resident.residentCode);
      assert.ok(record && Number(record['seq']) > Number(before?.['seq'] ?? 0), `${action} audited`);
      assert.equal(record['actor_kind'], 'staff');
      assert.equal(record['actor_id'], t.staff.apiKeyId);
      assert.equal(record['actor_name'], t.staff.staffName);
      assert.equal(record['lg_code'], t.lgCode);
      assert.equal(record['purpose'], PURPOSE);
    }
  });

  test('a read without a purpose is refused', async () => {
    assertProblem(await t.app.inject({ method: 'GET', url: `${BASE}/residents/${resident.id}`, headers: auth }), 400, 'KERNEL_REQUEST_INVALID');
  });

  test('an individual number in the search body finds the person; it is in no response, URL or log line', async () => {
    const number = resident.individualNumber;
    const response = await t.app.inject({ method: 'POST', url: `${BASE}/residents/search`, headers: auth, payload: { purpose: PURPOSE, query: { individualNumber: number } } });
    assert.equal(response.statusCode, 200);
    const body = response.json();
    assert.equal(body.total, 1);
    assert.equal(body.items[0].id, resident.id);
    assert.ok(!response.body.includes(number), 'the search response holds no number');
    const audit = await lastAudit('registry.resident.search', resident.residentCode);
    assert.equal(audit?.['purpose'], PURPOSE);
    assert.ok(!JSON.stringify(audit).includes(number));

    const wrong = await t.app.inject({ method: 'POST', url: `${BASE}/residents/search`, headers: auth, payload: { purpose: PURPOSE, query: { individualNumber: `${number.slice(0, 11)}${(Number(number[11]) + 1) % 10}` } } });
    const problem = assertProblem(wrong, 400, 'REGISTRY_INDIVIDUAL_NUMBER_INVALID');
    assert.ok(!wrong.body.includes(number.slice(0, 11)), 'the error does not echo the input');

    assert.ok(t.logLines.length > 0, 'requests were logged');
    assert.ok(t.logLines.some((line) => line.includes('/residents/search')));
    for (const line of t.logLines) assert.ok(!line.includes(number) && !line.includes(number.slice(0, 11)), `log line holds a number: ${line.slice(0, 200)}`);
    assert.ok(problem.title);
  });

  test('the household lists its members head first', async () => {
    const response = await t.app.inject({ method: 'GET', url: `${BASE}/households/${resident.householdId}?purpose=${encodeURIComponent(PURPOSE)}`, headers: auth });
    assert.equal(response.statusCode, 200);
    assert.equal(response.json().headId, resident.id);
  });
});

describe('bad requests', () => {
  test('a malformed body is 400 problem+json KERNEL_REQUEST_INVALID with the problems', async () => {
    const missing = assertProblem(await t.app.inject({ method: 'POST', url: `${BASE}/births`, headers: auth, payload: {} }), 400, 'KERNEL_REQUEST_INVALID');
    assert.ok(missing.problems.some((p: { field: string }) => p.field === 'householdId'));
    assertProblem(await t.app.inject({ method: 'POST', url: `${BASE}/residents/search`, headers: { ...auth, 'content-type': 'application/json' }, payload: '{"purpose":' }), 400, 'KERNEL_REQUEST_INVALID');
    assertProblem(await t.app.inject({ method: 'POST', url: `${BASE}/residents/${resident.id}/death`, headers: auth, payload: { diedOn: '2026-11-20', extra: 1 } }), 400, 'KERNEL_REQUEST_INVALID');
    assertProblem(await t.app.inject({ method: 'GET', url: `${BASE}/residents/not-a-uuid?purpose=x`, headers: auth }), 400, 'KERNEL_REQUEST_INVALID');
  });

  test('domain errors keep their code and problems', async () => {
    const body = assertProblem(await t.app.inject({ method: 'POST', url: `${BASE}/residents/${resident.id}/move-out`, headers: auth, payload: { destination: '東京都千代田区千代田1-1', plannedOn: '2027-01-01' } }), 422, 'REGISTRY_DATE_INVALID');
    assert.equal(body.problems[0].field, 'plannedOn');
  });

  test('U+0000 anywhere in the body, query or path is 400 naming the field, and nothing is written', async () => {
    const residents = async () => Number((await db.selectFrom('registry.residents').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await residents();
    const body = assertProblem(await t.app.inject({
      method: 'POST', url: `${BASE}/move-ins`, headers: auth,
      payload: {
        relationship: '世帯主', occurredOn: '2020-04-01',
        target: { newHousehold: { address: '東京都三鷹市野崎一丁目2番1号', postalCode: '1810014' } },
        person: { familyName: '三鷹\u0000', givenName: '次郎', familyNameKana: 'ミタカ', givenNameKana: 'ジロウ', birthDate: '1980-04-01', sex: 'male' },
      },
    }), 400, 'KERNEL_REQUEST_INVALID');
    assert.deepEqual(body.problems, [{ field: 'body.person.familyName', reason: 'NUL文字（U+0000）は使えません' }]);
    assert.equal(await residents(), before, 'no resident was written');
    const query = assertProblem(await t.app.inject({ method: 'GET', url: `${BASE}/family-registers?purpose=x&honseki=%00&hittosha=a`, headers: auth }), 400, 'KERNEL_REQUEST_INVALID');
    assert.equal(query.problems[0].field, 'querystring.honseki');
    const path = assertProblem(await t.app.inject({ method: 'GET', url: `${BASE}/seals/%00/image?purpose=x`, headers: auth }), 400, 'KERNEL_REQUEST_INVALID');
    assert.equal(path.problems[0].field, 'params.id');
  });

  test('a birth date that does not exist, as a search criterion, is 422 REGISTRY_RESIDENT_INVALID', async () => {
    for (const birthDate of ['2026-02-30', 'iLsuqX1o']) {
      const body = assertProblem(await t.app.inject({ method: 'POST', url: `${BASE}/residents/search`, headers: auth, payload: { purpose: PURPOSE, query: { birthDate } } }), 422, 'REGISTRY_RESIDENT_INVALID');
      assert.match(body.title, /生年月日は存在する日付/);
    }
  });

  test('an oversized body is 413', async () => {
    const payload = JSON.stringify({ purpose: PURPOSE, query: { familyName: 'あ'.repeat(400_000) } });
    assert.ok(Buffer.byteLength(payload) > t.platform.config.bodyLimit);
    assertProblem(await t.app.inject({ method: 'POST', url: `${BASE}/residents/search`, headers: { ...auth, 'content-type': 'application/json' }, payload }), 413, 'KERNEL_REQUEST_TOO_LARGE');
  });
});

describe('changes over HTTP', () => {
  test('a birth is 201; a seal image comes back as its bytes and type; tax records are put per year', async () => {
    const birth = await t.app.inject({
      method: 'POST', url: `${BASE}/births`, headers: auth,
      payload: { householdId: resident.householdId, occurredOn: '2026-11-20', person: { relationship: '子', familyName: '三鷹', givenName: '一郎', familyNameKana: 'ミタカ', givenNameKana: 'イチロウ', birthDate: '2026-11-20', sex: 'male', honseki: '東京都三鷹市野崎一丁目1番地', hittosha: '三鷹太郎' } },
    });
    assert.equal(birth.statusCode, 201, birth.body);
    assert.equal(birth.json().relationship, '子');

    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const seal = await t.app.inject({ method: 'POST', url: `${BASE}/residents/${resident.id}/seals`, headers: auth, payload: { image: png.toString('base64'), imageType: 'image/png', registeredOn: '2026-11-24' } });
    assert.equal(seal.statusCode, 201, seal.body);
    const image = await t.app.inject({ method: 'GET', url: `${BASE}/seals/${seal.json().id}/image?purpose=${encodeURIComponent('印鑑登録証明書の交付')}`, headers: auth });
    assert.equal(image.statusCode, 200);
    assert.equal(image.headers['content-type'], 'image/png');
    assert.deepEqual(image.rawPayload, png);
    assert.equal((await lastAudit('registry.seal.image.read', resident.residentCode))?.['purpose'], '印鑑登録証明書の交付');

    const tax = await t.app.inject({ method: 'PUT', url: `${BASE}/residents/${resident.id}/tax-records/2026`, headers: auth, payload: { incomeYen: 3_000_000, taxYen: 150_000 } });
    assert.equal(tax.statusCode, 200, tax.body);
    assert.deepEqual(tax.json(), { residentId: resident.id, fiscalYear: 2026, incomeYen: 3_000_000, taxYen: 150_000 });
    assertProblem(await t.app.inject({ method: 'PUT', url: `${BASE}/residents/${resident.id}/tax-records/1980`, headers: auth, payload: { incomeYen: -5, taxYen: 0 } }), 422, 'REGISTRY_TAX_RECORD_INVALID');
  });

  test('the OpenAPI document describes every registry route with a summary', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/docs/json' });
    assert.equal(response.statusCode, 200);
    const paths = response.json().paths as Record<string, Record<string, { summary?: string; tags?: string[] }>>;
    const registryPaths = Object.entries(paths).filter(([path]) => path.startsWith(BASE));
    assert.ok(registryPaths.length >= 20);
    for (const [path, methods] of registryPaths) {
      for (const [method, operation] of Object.entries(methods)) {
        assert.ok(operation.summary, `${method} ${path} has a summary`);
        assert.deepEqual(operation.tags, ['registry']);
      }
    }
    assert.ok(!Object.keys(paths).some((p) => /individual-?number\}/i.test(p)), 'no number in a path');
  });
});

describe('CSV import', () => {
  function row(overrides: Partial<ImportRow>): ImportRow {
    return {
      householdKey: 'HTTP-1', relationship: '世帯主', familyName: '井口', givenName: '健', familyNameKana: 'イグチ', givenNameKana: 'ケン',
      birthDate: '1975-06-01', sex: 'male', postalCode: '1810011', address: '東京都三鷹市井口二丁目2番2号',
      honseki: '東京都三鷹市井口二丁目2番地', hittosha: '井口健', nationality: null, residenceStatus: null, residenceExpiry: null,
      residenceCardNumber: null, aliasName: null, registeredOn: '2000-01-01', ...overrides,
    };
  }
  const csv = (rows: ImportRow[]) => toCsvLine(RESIDENT_CSV_HEADER) + rows.map((r) => toCsvLine(rowToCsvFields(r))).join('');
  const upload = (body: string) => t.app.inject({ method: 'POST', url: `${BASE}/imports`, headers: { ...auth, 'content-type': 'text/csv; charset=utf-8' }, payload: body });

  test('a good small file is imported (201) with its summary', async () => {
    const response = await upload(csv([
      row({}),
      row({ relationship: '妻', givenName: '恵', givenNameKana: 'メグミ', sex: 'female', birthDate: '1977-07-07' }),
      row({ householdKey: 'HTTP-2', familyName: '牟礼', familyNameKana: 'ムレ', hittosha: '牟礼健', address: '東京都三鷹市牟礼1-1', postalCode: '1810002' }),
    ]));
    assert.equal(response.statusCode, 201, response.body);
    const summary = response.json();
    assert.equal(summary.lgCode, t.lgCode);
    assert.equal(summary.residents, 3);
    assert.equal(summary.households, 2);
    const found = await t.app.inject({ method: 'POST', url: `${BASE}/residents/search`, headers: auth, payload: { purpose: PURPOSE, query: { householdNo: 'HTTP-1' } } });
    assert.equal(found.json().total, 2);
  });

  test('a file with several bad rows is 422 listing line, column and reason of each, and imports nothing', async () => {
    const count = async () => Number((await db.selectFrom('registry.residents').select(({ fn }) => fn.countAll<number>().as('n')).where('lg_code', '=', t.lgCode).executeTakeFirstOrThrow()).n);
    const before = await count();
    const response = await upload(csv([
      row({ householdKey: 'BAD-1' }),
      row({ householdKey: 'BAD-1', relationship: '子', givenName: '一', givenNameKana: 'hajime', birthDate: '2001-02-30' }),
      row({ householdKey: 'BAD-2', relationship: '子', postalCode: '12' }),
    ]));
    const body = assertProblem(response, 422, 'REGISTRY_IMPORT_INVALID');
    const problems = body.problems as { line: number; field: string; reason: string }[];
    for (const p of problems) {
      assert.ok(Number.isInteger(p.line) && p.field && p.reason, JSON.stringify(p));
    }
    const at = (line: number) => problems.filter((p) => p.line === line).map((p) => p.field).sort();
    assert.deepEqual(at(3), ['birth_date', 'given_name_kana']);
    assert.ok(at(4).includes('postal_code'));
    assert.ok(at(4).includes('relationship'), 'BAD-2 has no 世帯主');
    assert.equal(await count(), before);
  });

  test('a CSV over the import limit is 413 whether or not it declares its length, and imports nothing', async () => {
    const small = Fastify();
    small.setErrorHandler((error, request, reply) => sendProblem(request, reply, error));
    await small.register(registryRoutes, { prefix: BASE, registry: t.registry, importBodyLimit: 1000 });
    try {
      const count = async () => Number((await db.selectFrom('registry.residents').select(({ fn }) => fn.countAll<number>().as('n')).where('lg_code', '=', t.lgCode).executeTakeFirstOrThrow()).n);
      const before = await count();
      const rows = Array.from({ length: 20 }, (_, i) => row({ householdKey: `BIG-${i}` }));
      const body = csv(rows);
      assert.ok(Buffer.byteLength(body) > 1000);
      const headers = { ...auth, 'content-type': 'text/csv' };
      assertProblem(await small.inject({ method: 'POST', url: `${BASE}/imports`, headers, payload: body }), 413, 'KERNEL_REQUEST_TOO_LARGE');
      // Streamed without a length: cut off at the limit, and the rows before the cut roll back too.
      const lines = body.split(/(?<=\n)/);
      const streamed = await small.inject({ method: 'POST', url: `${BASE}/imports`, headers, payload: Readable.from(lines.map((l) => Buffer.from(l))) });
      const cut = assertProblem(streamed, 413, 'KERNEL_REQUEST_TOO_LARGE');
      assert.match(cut.detail, /何も取り込んでいません/, 'the stream was cut, not refused by its declared length');
      assert.equal(await count(), before);
      // Within the limit the same app imports.
      assert.equal((await small.inject({ method: 'POST', url: `${BASE}/imports`, headers, payload: Readable.from([Buffer.from(csv([row({ householdKey: 'SMALL-1' })]))]) })).statusCode, 201);
    } finally {
      await small.close();
    }
  });

  test('a CSV route needs text/csv', async () => {
    assertProblem(await t.app.inject({ method: 'POST', url: `${BASE}/imports`, headers: auth, payload: { rows: [] } }), 415, 'KERNEL_REQUEST_MEDIA_TYPE');
  });
});
