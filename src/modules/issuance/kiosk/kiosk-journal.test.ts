// The kiosk journal on disk: fsync'd JSON lines, a torn last line ignored and cut, keys reused across a restart, one process per journal, compaction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entryFinished, openKioskJournal, readJournalRecords } from './kiosk-journal.ts';

function tempJournal(): { path: string; done(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'myna-kiosk-journal-'));
  return { path: join(dir, 'kiosk', 'journal.jsonl'), done: () => rmSync(dir, { recursive: true, force: true }) };
}

test('records are lines on disk as soon as append returns; a torn last line is ignored, then cut so the next record stands alone', () => {
  const { path, done } = tempJournal();
  try {
    const journal = openKioskJournal(path);
    journal.append({ type: 'begin', journey: 'j1' });
    journal.append({ type: 'session', journey: 'j1', sessionId: 's1' });
    assert.equal(readFileSync(path, 'utf8').split('\n').length, 3, 'two lines and the final newline');
    journal.close();
    // A process killed mid-write leaves half a line.
    appendFileSync(path, '{"type":"ordered","journey":"j1","orderId":"o1","cop');
    assert.deepEqual(readJournalRecords(path).map((r) => r.type), ['begin', 'session']);
    const reopened = openKioskJournal(path);
    assert.equal(reopened.entry('j1')?.order, null, 'the torn record never happened');
    reopened.append({ type: 'ordered', journey: 'j1', orderId: 'o1', copies: 2, feePerCopyYen: 200, totalYen: 400 });
    assert.deepEqual(readJournalRecords(path).map((r) => r.type), ['begin', 'session', 'ordered']);
    assert.equal(reopened.entry('j1')?.order?.orderId, 'o1');
    reopened.close();
  } finally {
    done();
  }
});

test('a step keeps its Idempotency-Key across a restart for the same body, and gets a new one for another body', () => {
  const { path, done } = tempJournal();
  try {
    const first = openKioskJournal(path);
    first.append({ type: 'begin', journey: 'j1' });
    const key = first.keyFor('j1', 'payment', '{"method":"cash","amountYen":400}');
    assert.match(key, /^[A-Za-z0-9_\-:.]{8,128}$/);
    assert.equal(first.keyFor('j1', 'payment', '{"method":"cash","amountYen":400}'), key);
    first.close();
    const second = openKioskJournal(path);
    assert.equal(second.keyFor('j1', 'payment', '{"method":"cash","amountYen":400}'), key, 'the retry after a crash sends the same key');
    const other = second.keyFor('j1', 'payment', '{"method":"cash","amountYen":1000}');
    assert.notEqual(other, key);
    assert.equal(second.keyFor('j1', 'orders', '{}') === key, false);
    second.close();
  } finally {
    done();
  }
});

test('one process per journal: a live holder refuses the lock, a dead one\'s lock is taken over', async () => {
  const { path, done } = tempJournal();
  const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  try {
    openKioskJournal(path).close();
    writeFileSync(`${path}.lock`, String(holder.pid));
    assert.throws(() => openKioskJournal(path), /使用中/);
    holder.kill('SIGKILL');
    await new Promise((r) => holder.once('exit', r));
    const journal = openKioskJournal(path);
    assert.equal(readFileSync(`${path}.lock`, 'utf8'), String(process.pid));
    journal.close();
    assert.equal(existsSync(`${path}.lock`), false, 'close frees the lock');
  } finally {
    holder.kill('SIGKILL');
    done();
  }
});

test('a session ended after a payment whose print result got no answer is not finished; compaction keeps only unfinished journeys', () => {
  const { path, done } = tempJournal();
  try {
    const journal = openKioskJournal(path);
    // Finished: ended, nothing paid.
    journal.append({ type: 'begin', journey: 'unpaid' });
    journal.append({ type: 'session', journey: 'unpaid', sessionId: 's1' });
    journal.append({ type: 'ordered', journey: 'unpaid', orderId: 'o1', copies: 1, feePerCopyYen: 200, totalYen: 200 });
    journal.append({ type: 'ended', journey: 'unpaid' });
    // Not finished: paid and ended, the print result unanswered.
    journal.append({ type: 'begin', journey: 'paid' });
    journal.append({ type: 'session', journey: 'paid', sessionId: 's2' });
    journal.append({ type: 'ordered', journey: 'paid', orderId: 'o2', copies: 1, feePerCopyYen: 200, totalYen: 200 });
    journal.append({ type: 'paid', journey: 'paid', paidYen: 200 });
    journal.append({ type: 'copy', journey: 'paid', copy: 1, printed: true });
    journal.append({ type: 'report', journey: 'paid', key: 'kiosk-report-key-1', copies: [{ copy: 1, printed: true }] });
    journal.append({ type: 'ended', journey: 'paid' });
    assert.equal(entryFinished(journal.entry('unpaid')!), true);
    assert.equal(entryFinished(journal.entry('paid')!), false);
    assert.deepEqual(journal.unfinished().map((e) => e.journey), ['paid']);
    assert.equal(journal.compact(), 1);
    assert.deepEqual([...new Set(readJournalRecords(path).map((r) => r.journey))], ['paid']);
    assert.equal(existsSync(`${path}.tmp`), false);
    journal.append({ type: 'confirmed', journey: 'paid', receiptNo: 'R1', refundedYen: 0 });
    assert.equal(journal.compact(), 1);
    assert.equal(readFileSync(path, 'utf8'), '');
    journal.close();
  } finally {
    done();
  }
});
