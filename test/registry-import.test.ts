// Bulk import: a good file is numbered and loaded whole; a bad one is rejected whole, with every problem, leaving nothing.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { PlatformError } from '../src/kernel/errors.ts';
import { checkId } from '../src/kernel/ids/check-digits.ts';
import { generateHouseholds, rowToCsvFields, toCsvLine, RESIDENT_CSV_HEADER } from '../src/modules/registry/index.ts';
import { createTestPlatform, type TestPlatform } from './support/test-platform.ts';

const HEADER = RESIDENT_CSV_HEADER.join(',');
const docExample = /```csv\n([\s\S]*?)```/.exec(readFileSync(new URL('../docs/registry-import.md', import.meta.url), 'utf8'))![1]!;

function csv(text: string): Readable {
  return Readable.from([Buffer.from(text)]);
}

async function counts(t: TestPlatform): Promise<{ residents: number; households: number }> {
  const r = await sql<{ residents: number; households: number }>`
    SELECT (SELECT count(*) FROM registry.residents)::int AS residents, (SELECT count(*) FROM registry.households)::int AS households`.execute(t.platform.database.db);
  return r.rows[0]!;
}

async function rejection(promise: Promise<unknown>): Promise<PlatformError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof PlatformError, String(error));
    return error;
  }
  assert.fail('expected the import to be rejected');
}

describe('registry import', () => {
  let t: TestPlatform;
  before(async () => { t = await createTestPlatform(); });
  after(() => t.close());

  test('the example of docs/registry-import.md imports, numbered, in households', async () => {
    const summary = await t.registry.importResidentsCsv(t.lgCode, csv(docExample), { actor: t.staff });
    assert.equal(summary.residents, 3);
    assert.equal(summary.households, 2);
    const rows = await t.platform.database.db.selectFrom('registry.residents as r').innerJoin('registry.households as h', 'h.id', 'r.household_id')
      .select(['r.resident_code', 'r.individual_number', 'h.household_no', 'r.relationship', 'r.nationality', 'r.birth_date']).orderBy('r.birth_date').execute();
    assert.equal(rows.length, 3);
    for (const row of rows) {
      assert.deepEqual(checkId('resident-code', row.resident_code), { valid: true });
      assert.deepEqual(checkId('my-number', row.individual_number), { valid: true });
    }
    assert.equal(new Set(rows.map((r) => r.individual_number)).size, 3);
    assert.deepEqual(rows.map((r) => r.household_no), ['H001', 'H001', 'H002']);
    assert.equal(rows[0]!.birth_date, '1980-05-01');
    const audit = await t.platform.database.db.selectFrom('audit.records').select(['action', 'actor_name', 'detail']).where('action', '=', 'registry.residents.import').execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.actor_name, t.staff.staffName);
  });

  test('chunks that split characters, CRLF line ends, a BOM and a quoted line break keep data and line numbers right', async () => {
    const lines = [
      HEADER,
      'Q1,世帯主,渡邊,髙志,ワタナベ,タカシ,1975-03-03,男,1810002,"東京都三鷹市牟礼一丁目1番1号",東京都三鷹市牟礼一丁目1番地,渡邊 髙志,,,,,,2000-01-01',
      'Q1,妻,渡邊,"恵\n子",ワタナベ,ケイコ,1977-04-04,女,1810002,東京都三鷹市牟礼一丁目1番1号,東京都三鷹市牟礼一丁目1番地,渡邊 髙志,,,,,,2000-01-01',
      'Q1,子,渡邊,翔,ワタナベ,ショウ,2030-01-01,男,1810002,東京都三鷹市牟礼一丁目1番1号,東京都三鷹市牟礼一丁目1番地,渡邊 髙志,,,,,,2010-01-01',
    ];
    const bytes = Buffer.from('\uFEFF' + lines.join('\r\n') + '\r\n');
    const pieces: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 7) pieces.push(bytes.subarray(i, i + 7));
    const error = await rejection(t.registry.importResidentsCsv(t.lgCode, Readable.from(pieces), { actor: t.staff }));
    const found = (error.problems ?? []).map((p) => `${p.line}:${p.field}:${p.code}`);
    // Line 3 holds a quoted line break, so the next record starts on line 5.
    assert.deepEqual(found, ['3:given_name:CONTROL_CHAR', '5:birth_date:DATE_IN_FUTURE', '5:registered_on:BEFORE_BIRTH']);
    const fixed = lines.slice(0, 2).join('\r\n') + '\r\n';
    const good = Buffer.from('\uFEFF' + fixed);
    const goodPieces: Buffer[] = [];
    for (let i = 0; i < good.length; i += 5) goodPieces.push(good.subarray(i, i + 5));
    await t.registry.importResidentsCsv(t.lgCode, Readable.from(goodPieces), { actor: t.staff });
    const row = await t.platform.database.db.selectFrom('registry.residents').select(['given_name', 'address']).where('family_name', '=', '渡邊').executeTakeFirstOrThrow();
    assert.equal(row.given_name, '髙志');
    assert.equal(row.address, '東京都三鷹市牟礼一丁目1番1号');
  });

  test('a file with bad rows is rejected whole, every problem listed by line and column', async () => {
    const before = await counts(t);
    const lines = [
      HEADER,
      'B1,世帯主,佐藤,一郎,サトウ,イチロウ,1970-01-01,男,1810001,東京都三鷹市井の頭一丁目1番1号,東京都三鷹市井の頭一丁目1番地,佐藤 一郎,,,,,,2000-01-01',
      'B1,妻,佐藤,花子,サトウ,はなこ,2023-02-30,女,1810001,東京都三鷹市井の頭一丁目1番1号,東京都三鷹市井の頭一丁目1番地,佐藤 一郎,,,,,,2000-01-01',
      'B2,子,鈴木,次郎,スズキ,ジロウ,2001-01-01,X,1810001,東京都三鷹市井の頭一丁目2番1号,東京都三鷹市井の頭一丁目2番地,鈴木 太郎,,,,,,2001-01-01',
      'B3,世帯主,田中,三郎,タナカ,サブロウ,1960-01-01,男,181,東京都三鷹市井の頭一丁目3番1号,,,,,,,,2000-01-01',
      'B3,世帯主,田中,四郎,タナカ,シロウ,1962-01-01,男,1810001,東京都三鷹市井の頭一丁目3番1号,東京都三鷹市,田中 三郎,,,,,,2000-01-01',
      'B4,同僚,高橋,五郎,タカハシ,ゴロウ,1990-01-01,男,1810001,東京都三鷹市井の頭一丁目4番1号,東京都三鷹市,高橋 五郎,,,,,,1989-01-01',
      'B5,世帯主,伊藤,六郎',
    ];
    const error = await rejection(t.registry.importResidentsCsv(t.lgCode, csv(lines.join('\n') + '\n'), { actor: t.staff }));
    assert.equal(error.code, 'REGISTRY_IMPORT_INVALID');
    assert.equal(error.status, 422);
    const found = (error.problems ?? []).map((p) => `${p.line}:${p.field ?? '-'}:${p.code}`);
    for (const expected of [
      '3:given_name_kana:NOT_KATAKANA', '3:birth_date:DATE_INVALID', '4:sex:SEX_INVALID', '4:relationship:HOUSEHOLD_HEAD_MISSING',
      '5:postal_code:POSTAL_CODE_INVALID', '5:honseki:REQUIRED', '5:hittosha:REQUIRED', '6:relationship:HOUSEHOLD_HEAD_DUPLICATE',
      '7:relationship:RELATIONSHIP_UNKNOWN', '7:registered_on:BEFORE_BIRTH', '8:-:COLUMN_COUNT',
    ]) assert.ok(found.includes(expected), `${expected} missing from ${found.join(', ')}`);
    for (const p of error.problems ?? []) assert.ok(p.reason.length > 0);
    assert.deepEqual(await counts(t), before);
  });

  test('broken CSV syntax and a wrong header are malformed input, nothing imported', async () => {
    const before = await counts(t);
    const broken = await rejection(t.registry.importResidentsCsv(t.lgCode, csv(`${HEADER}\nX1,"世帯主,佐藤\n`), { actor: t.staff }));
    assert.equal(broken.code, 'REGISTRY_IMPORT_MALFORMED');
    const header = await rejection(t.registry.importResidentsCsv(t.lgCode, csv('household_key,name\nA,b\n'), { actor: t.staff }));
    assert.equal(header.code, 'REGISTRY_IMPORT_MALFORMED');
    assert.ok((header.problems ?? []).some((p) => p.field === 'relationship' && p.code === 'COLUMN_MISSING'));
    assert.ok((header.problems ?? []).some((p) => p.field === 'name' && p.code === 'COLUMN_UNKNOWN'));
    const empty = await rejection(t.registry.importResidentsCsv(t.lgCode, csv(''), { actor: t.staff }));
    assert.equal(empty.code, 'REGISTRY_IMPORT_MALFORMED');
    assert.deepEqual(await counts(t), before);
  });

  test('an unknown municipality and an existing household key are refused', async () => {
    const invalid = await rejection(t.registry.importResidentsCsv('999999', csv(docExample), { actor: { system: 'test' } }));
    assert.equal(invalid.code, 'REGISTRY_LG_CODE_INVALID');
    const unknown = await rejection(t.registry.importResidentsCsv('999997', csv(docExample), { actor: { system: 'test' } }));
    assert.equal(unknown.code, 'REGISTRY_MUNICIPALITY_NOT_FOUND');
    const again = await rejection(t.registry.importResidentsCsv(t.lgCode, csv(docExample), { actor: t.staff }));
    assert.equal(again.code, 'REGISTRY_IMPORT_INVALID');
    assert.ok((again.problems ?? []).some((p) => p.code === 'HOUSEHOLD_EXISTS' && p.line === 2));
  });

  test('a bad last row after chunks were already copied still leaves nothing behind', async () => {
    const before = await counts(t);
    let text = `${HEADER}\n`;
    let n = 0;
    for (const h of generateHouseholds({ lgCode: t.otherLgCode, municipalityName: '千代田区', prefecture: '東京都', residents: 20_500, seed: 'rollback', asOf: '2026-11-23' })) {
      for (const row of h.members) { text += toCsvLine(rowToCsvFields(row)); n++; }
    }
    text += 'ZZ9,世帯主,末尾,誤り,マツビ,アヤマリ,1999-99-99,男,1000001,東京都千代田区,東京都千代田区,末尾 誤り,,,,,,2000-01-01\n';
    const error = await rejection(t.registry.importResidentsCsv(t.otherLgCode, csv(text), { actor: { system: 'test' } }));
    assert.equal(error.code, 'REGISTRY_IMPORT_INVALID');
    assert.deepEqual((error.problems ?? []).map((p) => `${p.line}:${p.code}`), [`${n + 2}:DATE_INVALID`]);
    assert.deepEqual(await counts(t), before);
    const sequence = await t.platform.database.db.selectFrom('registry.code_sequence').select('next').executeTakeFirstOrThrow();
    assert.ok(Number(sequence.next) < 100, 'reserved code sequence rolled back too');
  });
});
