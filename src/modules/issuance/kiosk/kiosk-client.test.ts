// The kiosk client with its journal over the real HTTP stack (in memory): a print result whose answer is lost, a key left in progress at the centre, reconciliation without a journal.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestPlatform, type TestPlatform } from '../../../../test/support/test-platform.ts';
import { newResident } from '../../../../test/support/jpki-fixtures.ts';
import { CardClient, digestInfo, inProcessTransport, syntheticPortrait } from '../../card/index.ts';
import { injectFetch } from '../../../http/inject-fetch.ts';
import { kioskClient, UNPRINTED_AFTER_CRASH, type KioskCard } from './kiosk-client.ts';
import { openKioskJournal, readJournalRecords } from './kiosk-journal.ts';

const PINS = { auth: '2580', sign: 'KIOSK2026', kenhojo: '1470', juki: '3690' };

describe('kioskClient with a journal', () => {
  let t: TestPlatform;
  let credential = '';
  let kioskCard: KioskCard;
  const dir = mkdtempSync(join(tmpdir(), 'myna-kiosk-client-'));

  before(async () => {
    t = await createTestPlatform();
    t.clock.set('2026-11-24T03:00:00Z'); // 12:00 JST, open
    await t.platform.jpki.initCertificateAuthorities();
    credential = (await t.platform.issuance.setUpDemo(t.lgCode)).kioskCredential;
    const resident = await newResident(t, {});
    const application = await t.platform.card.apply(t.staff, { residentId: resident.id, channel: 'online', photo: { bytes: syntheticPortrait('k'), type: 'image/jpeg' } });
    const card = await t.platform.card.handOver(t.staff, (await t.platform.card.produce(application.id)).id, { identityCheck: { documents: ['運転免許証'], checkedBy: '窓口' }, pins: PINS });
    const client = new CardClient(inProcessTransport(await t.platform.card.openChip(card.id)));
    kioskCard = { authCertificate: () => client.readCertificate('auth'), signChallenge: (challenge, pin) => client.sign('auth', digestInfo(challenge), pin) };
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The centre's network: answers normally, except that the first print result's answer is lost after the centre handled it. */
  function losingFirstPrintAnswer(): typeof fetch {
    const inner = injectFetch(t.app);
    let lost = false;
    return (async (input: string | URL, init?: RequestInit) => {
      const response = await inner(input, init);
      if (!lost && String(input).endsWith('/print-results')) {
        lost = true;
        throw new TypeError('fetch failed (connection reset)');
      }
      return response;
    }) as typeof fetch;
  }

  const juminhyo = async () => (await t.platform.issuance.settlement('2026-11', { lgCode: t.lgCode })).find((l) => l.type === 'juminhyo') ?? { copies: 0, refunds: 0 };

  test('the print result\'s answer is lost and the centre\'s key stays in progress: the session ends, the journey waits, reconcile settles it once', async () => {
    const path = join(dir, 'lost-answer.jsonl');
    const journal = openKioskJournal(path);
    const before = await juminhyo();
    const kiosk = kioskClient('http://platform.test', credential, { fetch: losingFirstPrintAnswer(), journal, attempts: 1 });
    await assert.rejects(kiosk.run(kioskCard, { pin: PINS.auth, type: 'juminhyo', copies: 2 }), /応答がありません/);
    const [entry] = journal.unfinished();
    assert.ok(entry?.ended && entry.report && !entry.confirmed, 'the session ended, the print result is journaled, not confirmed');
    // As if the centre had died before recording its answer under the key: a retry with it is refused.
    await t.platform.database.db.updateTable('idempotency.keys').set({ state: 'in_progress', status: null, content_type: null, body: null }).where('key', '=', entry.report.key).execute();

    const summary = await kiosk.reconcile();
    assert.deepEqual([summary.orders, summary.copiesConfirmed, summary.copiesRefunded, summary.sessionsEnded], [1, 2, 0, 0]);
    assert.deepEqual(readJournalRecords(path), []);
    const again = await kiosk.reconcile();
    assert.deepEqual([again.orders, again.copiesConfirmed, again.copiesRefunded, again.sessionsEnded], [0, 0, 0, 0]);
    const after = await juminhyo();
    assert.deepEqual([after.copies - before.copies, after.refunds - before.refunds], [2, 0], 'two settlement rows, not four');
    journal.close();
  });

  test('without a journal, reconcile reports every paid order the centre lists, once its session has lapsed, as not printed (refunded)', async () => {
    const before = await juminhyo();
    const kiosk = kioskClient('http://platform.test', credential, { fetch: losingFirstPrintAnswer(), attempts: 1 });
    // The answer is lost, but the centre did settle this one: nothing is left to reconcile for it.
    await assert.rejects(kiosk.run(kioskCard, { pin: PINS.auth, type: 'juminhyo', copies: 1 }));
    const headers = { authorization: `Bearer ${credential}`, 'content-type': 'application/json', 'idempotency-key': 'test-unreported-order-1' };
    const fetch = injectFetch(t.app);
    const session = await (await fetch('http://x/issuance/centre/v1/sessions', { method: 'POST', headers, body: '{}' })).json() as { sessionId: string; challenge: string };
    const signature = await kioskCard.signChallenge(new Uint8Array(Buffer.from(session.challenge, 'base64url')), PINS.auth);
    const base = `http://x/issuance/centre/v1/sessions/${session.sessionId}`;
    await fetch(`${base}/authentication`, { method: 'POST', headers: { ...headers, 'idempotency-key': 'test-unreported-order-2' }, body: JSON.stringify({ certificate: Buffer.from(await kioskCard.authCertificate()).toString('base64'), signature: Buffer.from(signature).toString('base64') }) });
    const order = await (await fetch(`${base}/orders`, { method: 'POST', headers: { ...headers, 'idempotency-key': 'test-unreported-order-3' }, body: JSON.stringify({ type: 'juminhyo', copies: 2 }) })).json() as { orderId: string; totalYen: number };
    assert.equal((await fetch(`${base}/orders/${order.orderId}/payment`, { method: 'POST', headers: { ...headers, 'idempotency-key': 'test-unreported-order-4' }, body: JSON.stringify({ method: 'cash', amountYen: order.totalYen }) })).status, 200);

    // While its session is live the order may be printing at another program using this credential: left alone.
    const early = await kioskClient('http://platform.test', credential, injectFetch(t.app)).reconcile();
    assert.deepEqual([early.orders, early.copiesRefunded], [0, 0]);
    assert.equal((await kioskClient('http://platform.test', credential, injectFetch(t.app)).unfinishedOrders()).find((o) => o.orderId === order.orderId)?.sessionLive, true);
    t.clock.advance(11 * 60_000);
    const summary = await kioskClient('http://platform.test', credential, injectFetch(t.app)).reconcile();
    assert.deepEqual([summary.orders, summary.copiesConfirmed, summary.copiesRefunded, summary.sessionsEnded], [1, 0, 2, 1]);
    const refunds = await t.platform.database.db.selectFrom('issuance.refunds').select(['copy', 'reason']).where('order_id', '=', order.orderId).orderBy('copy').execute();
    assert.deepEqual(refunds, [{ copy: 1, reason: UNPRINTED_AFTER_CRASH }, { copy: 2, reason: UNPRINTED_AFTER_CRASH }]);
    const after = await juminhyo();
    assert.deepEqual([after.copies - before.copies, after.refunds - before.refunds], [1, 2]);
    assert.deepEqual(await kioskClient('http://platform.test', credential, injectFetch(t.app)).unfinishedOrders(), []);
  });
});
