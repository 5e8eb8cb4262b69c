// コンビニ交付 end to end over HTTP: kiosk → centre → municipal certificate server, with a card signing the challenge; rules, payment, printing, settlement.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestPlatform, type TestPlatform } from './support/test-platform.ts';
import { newResident } from './support/jpki-fixtures.ts';
import { CardClient, digestInfo, inProcessTransport, syntheticPortrait } from '../src/modules/card/index.ts';
import { kioskClient, type KioskCard } from '../src/modules/issuance/index.ts';
import { injectFetch } from '../src/http/inject-fetch.ts';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingTool } from './support/require-tool.ts';

const popplerMissing = missingTool('pdfsig', 'apt-get install -y poppler-utils');

const PINS = { auth: '2580', sign: 'KIOSK2026', kenhojo: '1470', juki: '3690' };

describe('コンビニ交付 over HTTP', () => {
  let t: TestPlatform;
  let credential = '';
  before(async () => {
    t = await createTestPlatform();
    t.clock.set('2026-11-24T03:00:00Z'); // 12:00 JST, open
    await t.platform.jpki.initCertificateAuthorities();
    credential = (await t.platform.issuance.setUpDemo(t.lgCode)).kioskCredential;
  });
  after(() => t.close());

  async function cardHolder(person = {}) {
    const resident = await newResident(t, person);
    const application = await t.platform.card.apply(t.staff, { residentId: resident.id, channel: 'online', photo: { bytes: syntheticPortrait('k'), type: 'image/jpeg' } });
    const produced = await t.platform.card.produce(application.id);
    const card = await t.platform.card.handOver(t.staff, produced.id, { identityCheck: { documents: ['運転免許証'], checkedBy: '窓口' }, pins: PINS });
    const client = new CardClient(inProcessTransport(await t.platform.card.openChip(card.id)));
    const kioskCard: KioskCard = { authCertificate: () => client.readCertificate('auth'), signChallenge: (challenge, pin) => client.sign('auth', digestInfo(challenge), pin) };
    return { resident, card, kioskCard };
  }

  test('住民票の写し: session, card authentication, order, payment, print; one settlement row per copy', async () => {
    const { resident, kioskCard } = await cardHolder();
    const kiosk = kioskClient('http://platform.test', credential, injectFetch(t.app));
    const run = await kiosk.run(kioskCard, { pin: PINS.auth, type: 'juminhyo', copies: 2 });
    assert.equal(run.municipality.lgCode, t.lgCode);
    assert.ok(run.offers.some((o) => o.type === 'juminhyo' && o.available));
    assert.equal(run.order.totalYen, 400);
    assert.equal(run.documents.length, 2);
    assert.equal(Buffer.from(run.documents[0]!.subarray(0, 5)).toString('latin1'), '%PDF-');
    assert.equal(run.receipt.items[0]!.copies, 2);
    const lines = await t.platform.issuance.settlement('2026-11', { lgCode: t.lgCode });
    const juminhyo = lines.find((l) => l.type === 'juminhyo')!;
    assert.equal(juminhyo.copies, 2);
    assert.equal(juminhyo.feesYen, 400);
    assert.equal(juminhyo.commissionYen, 230);
    const pending = await t.platform.database.db.selectFrom('issuance.pending_documents').selectAll().execute();
    assert.equal(pending.length, 0, 'the centre keeps no document after delivery');
    void resident;
  });

  test('the printed PDF: pdftotext finds the person, pdfsig validates it, /verify says genuine and catches a changed byte', { skip: popplerMissing }, async () => {
    const { resident, kioskCard } = await cardHolder({ familyName: '検証', givenName: '花子', sex: 'female' });
    const run = await kioskClient('http://platform.test', credential, injectFetch(t.app)).run(kioskCard, { pin: PINS.auth, type: 'juminhyo', options: { layout: 'individual', showHonseki: 'yes' } });
    const dir = mkdtempSync(join(tmpdir(), 'myna-issuance-'));
    const file = join(dir, 'juminhyo.pdf');
    writeFileSync(file, run.documents[0]!);
    const text = spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, '');
    assert.ok(text.includes('検証花子'), 'the name');
    assert.ok(text.includes(resident.address.replace(/\s+/g, '')), 'the address');
    assert.ok(text.includes('東京都三鷹市野崎一丁目1番地'), '本籍 shown when chosen');
    assert.ok(!text.includes(resident.individualNumber), 'never the individual number');
    assert.match(spawnSync('pdfsig', ['-no-ocsp', file], { encoding: 'utf8' }).stdout, /Signature is Valid/);

    const verify = async (pdf: Uint8Array) => (await t.app.inject({ method: 'POST', url: '/issuance/v1/verifications', headers: { 'content-type': 'application/pdf' }, payload: Buffer.from(pdf) })).json() as { result: string; serialNumber?: string };
    const genuine = await verify(run.documents[0]!);
    assert.equal(genuine.result, 'genuine');
    assert.match(genuine.serialNumber!, /^132047-/);
    const altered = Buffer.from(run.documents[0]!);
    const at = altered.indexOf('stream') + 200;
    altered[at] = altered[at]! ^ 0x01;
    assert.equal((await verify(altered)).result, 'altered');
    writeFileSync(join(dir, 'altered.pdf'), altered);
    assert.doesNotMatch(spawnSync('pdfsig', ['-no-ocsp', join(dir, 'altered.pdf')], { encoding: 'utf8' }).stdout, /Signature is Valid/);
    assert.equal((await verify(Buffer.from('%PDF-1.7 not really'))).result, 'unknown');
    const page = await t.app.inject({ method: 'GET', url: '/verify' });
    assert.match(page.body, /証明書の真正性の確認/);
  });

  test('post-office kiosks and the counter (窓口交付) use the same protocol; the counter pays no commission', async () => {
    const { kioskCard } = await cardHolder();
    const post = await t.platform.issuance.registerKiosk('post-office', '三鷹郵便局 キオスク端末');
    const counter = await t.platform.issuance.registerKiosk('counter', '三鷹市役所 市民課 お客様用端末');
    await kioskClient('http://platform.test', post.credential, injectFetch(t.app)).run(kioskCard, { pin: PINS.auth, type: 'juminhyo' });
    const slip = await kioskClient('http://platform.test', counter.credential, injectFetch(t.app)).run(kioskCard, { pin: PINS.auth, type: 'juminhyo' });
    assert.match(slip.receipt.receiptNo, /^R/);
    const lines = await t.platform.issuance.settlement('2026-11', { lgCode: t.lgCode });
    assert.equal(lines.find((l) => l.operatorId === 'post-office' && l.type === 'juminhyo')!.commissionYen, 115);
    const atCounter = lines.find((l) => l.operatorId === 'counter' && l.type === 'juminhyo')!;
    assert.deepEqual([atCounter.copies, atCounter.feesYen, atCounter.commissionYen], [1, 200, 0]);
  });

  test('a print failure refunds that copy and records no settlement row for it', async () => {
    const { kioskCard } = await cardHolder();
    const kiosk = kioskClient('http://platform.test', credential, injectFetch(t.app));
    const before = (await t.platform.issuance.settlement('2026-11', { lgCode: t.lgCode })).find((l) => l.type === 'juminhyo_kisai_jiko')?.copies ?? 0;
    const run = await kiosk.run(kioskCard, { pin: PINS.auth, type: 'juminhyo_kisai_jiko', copies: 2, printFails: [2] });
    assert.equal(run.receipt.refundedYen, 200);
    const line = (await t.platform.issuance.settlement('2026-11', { lgCode: t.lgCode })).find((l) => l.type === 'juminhyo_kisai_jiko')!;
    assert.equal(line.copies - before, 1);
    assert.equal(line.refunds, 1);
  });

  test('rules and bad input: wrong PIN, no seal registration, suspended card, replayed challenge, out of hours', async () => {
    const { card, kioskCard } = await cardHolder();
    const kiosk = kioskClient('http://platform.test', credential, injectFetch(t.app));
    await assert.rejects(kiosk.run(kioskCard, { pin: '0000', type: 'juminhyo' }), { code: 'CARD_PIN_INCORRECT' });
    await assert.rejects(kiosk.run(kioskCard, { pin: PINS.auth, type: 'inkan' }), { code: 'ISSUANCE_RULE_REFUSED' });
    await assert.rejects(kiosk.run(kioskCard, { pin: PINS.auth, type: 'juminhyo', copies: 11 }), (e: { code?: string }) => e.code === 'ISSUANCE_COPIES_INVALID' || e.code === 'KERNEL_REQUEST_INVALID');
    await t.platform.card.suspend(card.id, { actor: { system: 'test' }, reportedBy: '本人' });
    await assert.rejects(kiosk.run(kioskCard, { pin: PINS.auth, type: 'juminhyo' }), { code: 'ISSUANCE_CARD_SUSPENDED' });
    await t.platform.card.resume(card.id, { actor: { system: 'test' }, reportedBy: '本人' });

    const fetch = injectFetch(t.app);
    const headers = { authorization: `Bearer ${credential}`, 'content-type': 'application/json' };
    const session = await (await fetch('http://x/issuance/centre/v1/sessions', { method: 'POST', headers, body: '{}' })).json() as { sessionId: string; challenge: string };
    const signature = await kioskCard.signChallenge(new Uint8Array(Buffer.from(session.challenge, 'base64url')), PINS.auth);
    const body = JSON.stringify({ certificate: Buffer.from(await kioskCard.authCertificate()).toString('base64'), signature: Buffer.from(signature).toString('base64') });
    assert.equal((await fetch(`http://x/issuance/centre/v1/sessions/${session.sessionId}/authentication`, { method: 'POST', headers, body })).status, 200);
    const replay = await fetch(`http://x/issuance/centre/v1/sessions/${session.sessionId}/authentication`, { method: 'POST', headers, body });
    assert.equal(((await replay.json()) as { code: string }).code, 'ISSUANCE_CHALLENGE_USED');

    t.clock.set('2026-11-24T15:00:00Z'); // 24:00 JST
    try {
      await assert.rejects(kiosk.run(kioskCard, { pin: PINS.auth, type: 'juminhyo' }), { code: 'ISSUANCE_SERVICE_CLOSED' });
      assert.equal((await kiosk.availability()).open, false);
    } finally {
      t.clock.set('2026-11-24T03:00:00Z');
    }
  });
});
