// The audit chain: appends link by hash, the table refuses changes, and verify names changed and deleted records.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase, type Database } from '../db/database.ts';
import { fixedClock } from '../clock.ts';
import { createAuditLog, type AuditLog } from './audit-log.ts';
import { verifyAuditChain } from './verify-audit-chain.ts';
import { createTestDatabaseLocation } from '../../../test/support/test-database.ts';

let database: Database;
let audit: AuditLog;
let drop: () => Promise<void>;
const clock = fixedClock('2026-11-24T01:00:00Z');

before(async () => {
  const t = await createTestDatabaseLocation();
  drop = t.drop;
  database = await openDatabase(t.location);
  audit = createAuditLog(database.db, clock);
  for (let i = 1; i <= 12; i++) {
    clock.advance(1000);
    await audit.record({
      actor: { kind: 'staff', id: `k${i % 3}`, name: '窓口 一郎' }, lgCode: '132047', action: 'registry.resident.read',
      subject: { kind: 'resident', ref: `0000000000${i % 10}` }, purpose: '住民票の写しの交付', detail: { i, nested: { b: 2, a: 1 } },
    });
  }
});
after(async () => {
  await database.close();
  await drop();
});

/** Runs `fn` with the append-only trigger off, as an attacker with table rights would. */
async function tamper(fn: () => Promise<unknown>): Promise<void> {
  await sql`ALTER TABLE audit.records DISABLE TRIGGER records_append_only`.execute(database.db);
  try { await fn(); } finally { await sql`ALTER TABLE audit.records ENABLE TRIGGER records_append_only`.execute(database.db); }
}

test('an untouched chain verifies', async () => {
  const report = await verifyAuditChain(database.db);
  assert.equal(report.ok, true);
  assert.equal(report.checked, 12);
  assert.equal(report.headSeq, 12);
});

test('concurrent appends (group commit) all land, in call order, on one valid chain', async () => {
  const before = (await verifyAuditChain(database.db)).headSeq;
  await Promise.all(Array.from({ length: 40 }, (_, i) => audit.record({
    actor: { kind: 'organisation', id: 'centre', name: '証明書交付センター' }, action: 'registry.resident.read',
    subject: { kind: 'resident', ref: `9${String(i).padStart(10, '0')}` }, purpose: 'コンビニ交付', detail: { i },
  })));
  const report = await verifyAuditChain(database.db);
  assert.equal(report.ok, true);
  assert.equal(report.headSeq, before + 40);
  const order = (await sql<{ i: number }>`SELECT (detail->>'i')::int AS i FROM audit.records WHERE seq > ${before} ORDER BY seq`.execute(database.db)).rows.map((r) => r.i);
  assert.deepEqual(order, Array.from({ length: 40 }, (_, i) => i));
});

test('a failing append in a group fails only its own caller', async () => {
  const before = (await verifyAuditChain(database.db)).headSeq;
  const circular: Record<string, unknown> = {};
  circular['self'] = circular;
  const entry = (ref: string, detail: Record<string, unknown> = {}) => ({ actor: { kind: 'system' as const, id: 't', name: 't' }, action: 'test.append', subject: { kind: 'resident', ref }, detail });
  const results = await Promise.allSettled([audit.record(entry('1')), audit.record(entry('2', circular)), audit.record(entry('3')), audit.record(entry('4'))]);
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
  const report = await verifyAuditChain(database.db);
  assert.equal(report.ok, true);
  assert.equal(report.headSeq, before + 3);
});

test('records are listed for their subject, newest first', async () => {
  const records = await audit.listForSubject('resident', '00000000003');
  assert.deepEqual(records.map((r) => r.seq), [3]);
  assert.equal(records[0]!.purpose, '住民票の写しの交付');
});

test('the table refuses updates and deletes', async () => {
  await assert.rejects(sql`UPDATE audit.records SET purpose = 'x' WHERE seq = 1`.execute(database.db), /append-only/);
  await assert.rejects(sql`DELETE FROM audit.records WHERE seq = 1`.execute(database.db), /append-only/);
});

test('verify names a changed record, deleted records and a deleted tail', async () => {
  await tamper(async () => {
    await sql`UPDATE audit.records SET purpose = '目的外' WHERE seq = 4`.execute(database.db);
    await sql`DELETE FROM audit.records WHERE seq IN (7, 8)`.execute(database.db);
    await sql`DELETE FROM audit.records WHERE seq = 12`.execute(database.db);
  });
  const report = await verifyAuditChain(database.db);
  assert.equal(report.ok, false);
  const summary = report.problems.map((p) => `${p.kind}:${p.seq}${p.toSeq && p.toSeq !== p.seq ? `-${p.toSeq}` : ''}`);
  assert.deepEqual(summary, ['changed:4', 'deleted:7-8', 'deleted:12']);
  assert.match(report.problems[0]!.message, /監査記録 4/);
});
