// The kiosk (web/kiosk) meets bad input: every error code the centre can send has a message of the kiosk's own in
// Japanese and English that says what to do; and in Chromium against a running platform, a resident of a
// municipality that does not take part, a session that expires at 支払う, and an idle timeout with money inserted
// each end on the message and the card reminder, with nothing charged.
//
// The platform runs in this process (the same createPlatform + createServer as `myna-platform start`, listening
// on a port) so the test can give it a clock it moves (the session's 10 minutes) and demo cards of a second
// municipality that never configured offers; `start` makes demo cards only for the municipality that takes part.
import 'reflect-metadata';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { issuanceErrors } from '../src/modules/issuance/index.ts';
import { kernelErrors } from '../src/kernel/errors.ts';
import { fixedClock } from '../src/kernel/clock.ts';
import { loadConfig } from '../src/kernel/config.ts';
import { createLogger } from '../src/kernel/logger.ts';
import { createPlatform, type Platform } from '../src/platform/create-platform.ts';
import { createServer } from '../src/http/create-server.ts';
import { CENTRE_ERROR_CODES, messages, say, type CentreErrorCode } from '../web/kiosk/src/messages.ts';
import { chromiumMissing, launchChromium, waitForScreen as screen, type LaunchedChromium } from './support/browser.ts';
import { root } from './support/cli-server.ts';
import { createTestDatabaseLocation } from './support/test-database.ts';

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

/**
 * Codes of src/modules/issuance/errors.ts that never reach a kiosk, and why. Any other code must have a
 * kiosk message: a new code fails this test until it gets one (or a reason here).
 */
const NOT_FOR_KIOSKS: Record<string, string> = {
  ISSUANCE_MAINTENANCE_NOT_FOUND: 'operators only (maintenance windows: CLI and ops API)',
};

/** Where the centre's answers to kiosks come from: the centre itself and the municipal servers whose refusals it passes on. */
const CENTRE_SOURCES = ['src/modules/issuance/centre', 'src/modules/issuance/municipal', 'src/modules/issuance/http/municipal-client.ts'];

function sourcesOf(path: string): string[] {
  const full = join(root, path);
  return path.endsWith('.ts') ? [readFileSync(full, 'utf8')] : readdirSync(full).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(join(full, f), 'utf8'));
}

describe('kiosk messages for the centre\'s error codes', () => {
  const issuanceCodes = Object.keys(issuanceErrors);

  test('every ISSUANCE_* code the centre can return has a kiosk message; the list names no code that does not exist', () => {
    const missing = issuanceCodes.filter((code) => !(CENTRE_ERROR_CODES as readonly string[]).includes(code) && !(code in NOT_FOR_KIOSKS));
    assert.deepEqual(missing, [], 'add these to CENTRE_ERROR_CODES and centreErrors in web/kiosk/src/messages.ts');
    for (const code of CENTRE_ERROR_CODES) assert.ok(code in issuanceErrors || code in kernelErrors, `${code} is a real error code`);
    // A code kept from kiosks must really be raised nowhere on the kiosk's side.
    const raised = new Set(CENTRE_SOURCES.flatMap(sourcesOf).flatMap((text) => [...text.matchAll(/issuanceError\('(ISSUANCE_[A-Z_]+)'/g)].map((m) => m[1]!)));
    for (const code of Object.keys(NOT_FOR_KIOSKS)) assert.ok(!raised.has(code), `${code} is raised by the centre or a municipal server: it needs a kiosk message`);
    for (const code of raised) assert.ok((CENTRE_ERROR_CODES as readonly string[]).includes(code), `${code} (raised for kiosks) has a kiosk message`);
  });

  test('each message, in Japanese and in English, is the kiosk\'s own and tells the resident what to do', () => {
    for (const code of CENTRE_ERROR_CODES) {
      const title = code in issuanceErrors ? issuanceErrors[code as keyof typeof issuanceErrors].title : kernelErrors[code as keyof typeof kernelErrors].title;
      const ja = say(messages.ja, 'ja', { code, title });
      const en = say(messages.en, 'en', { code, title });
      assert.match(ja, JAPANESE, `${code}: Japanese`);
      assert.match(ja, /ください。$/, `${code}: ends by telling what to do: ${ja}`);
      assert.doesNotMatch(en, JAPANESE, `${code}: English only: ${en}`);
      assert.match(en, /Please [^.]+\.$/, `${code}: ends by telling what to do: ${en}`);
    }
  });

  test('the wording for another CA, a municipality that does not take part, an expired session, a refusal and underpayment', () => {
    const ja = (code: CentreErrorCode, title = '', detail?: string) => say(messages.ja, 'ja', { code, title, detail });
    assert.match(ja('ISSUANCE_CERTIFICATE_UNTRUSTED', 'x', 'JPKI_CERT_UNTRUSTED_ISSUER'), /^このカードは使用できません.*窓口/);
    assert.doesNotMatch(ja('ISSUANCE_CERTIFICATE_UNTRUSTED', 'x', 'JPKI_CERT_UNTRUSTED_ISSUER'), /JPKI_/, 'no internal detail');
    assert.match(ja('ISSUANCE_MUNICIPALITY_NOT_PARTICIPATING'), /^お住まいの市区町村はコンビニ交付を行っていません。.*市区町村の窓口で/);
    assert.match(ja('ISSUANCE_SESSION_EXPIRED'), /有効時間.*カードをお取りになり、最初からやり直してください。$/);
    assert.equal(ja('ISSUANCE_RULE_REFUSED', '印鑑登録がありません。'), '印鑑登録がありません。この証明書は市区町村の窓口でお求めください。');
    assert.equal(ja('ISSUANCE_RULE_REFUSED', '転出の届出をされている世帯の住民票はコンビニ交付では発行できません'), '転出の届出をされている世帯の住民票はコンビニ交付では発行できません。この証明書は市区町村の窓口でお求めください。');
    assert.equal(ja('ISSUANCE_RULE_REFUSED', issuanceErrors.ISSUANCE_RULE_REFUSED.title), 'この証明書はコンビニ交付では発行できません。市区町村の窓口をご利用ください。', 'the counter named once');
    assert.match(ja('ISSUANCE_PAYMENT_INSUFFICIENT', 'x', '400円に100円足りません'), /（400円に100円足りません）。不足分を入れてから「支払う」を押してください。$/);
    assert.match(say(messages.en, 'en', { code: 'ISSUANCE_MUNICIPALITY_NOT_PARTICIPATING', title: '' }), /^Your municipality does not issue certificates.*counter of your municipality\.$/);
    // A code the kiosk does not know: the centre's title in the current language, and its detail.
    assert.equal(say(messages.ja, 'ja', { code: 'ISSUANCE_SOMETHING_NEW', title: '新しいエラー / A new error', detail: '詳細' }), '新しいエラー　詳細');
    assert.equal(say(messages.en, 'en', { code: 'ISSUANCE_SOMETHING_NEW', title: '新しいエラー / A new error' }), 'A new error');
  });
});

// ── in Chromium ─────────────────────────────────────────────────────────────────────────────────

/** Screen titles and sentences (web/kiosk/src/messages.ts). */
const JA = messages.ja;
const EN = messages.en;

describe('kiosk bad-input journeys in Chromium against a running platform', { skip: chromiumMissing() }, () => {
  const clock = fixedClock('2026-11-24T03:00:00Z'); // 12:00 JST
  const serverErrors: string[] = [];
  let platform: Platform;
  let close: () => Promise<void> = async () => undefined;
  let url = '';
  let browser: LaunchedChromium | undefined;
  /** A demo card of 三鷹市 (takes part) and one of 千代田区 (never configured offers). */
  const cards = {} as Record<'mitaka' | 'chiyoda', { id: string; serial: string; pin: string }>;

  before(async () => {
    execFileSync(process.execPath, ['scripts/build-web.js', 'kiosk'], { cwd: root, stdio: 'pipe' });
    const { location, drop } = await createTestDatabaseLocation();
    const logger = createLogger({ level: 'error', destination: { write: (line: string) => { serverErrors.push(line); } } });
    const config = loadConfig({ LOG_LEVEL: 'error', MYNA_DEMO_MUNICIPALITY: '132047', MYNA_CARD_VIRTUAL_READER: 'true' }, { memory: true });
    platform = await createPlatform(config, { clock, logger, location });
    const app = await createServer(platform);
    close = async () => {
      await app.close();
      await platform.close();
      await drop();
    };
    await platform.jpki.initCertificateAuthorities();
    for (const [name, lgCode] of [['mitaka', '132047'], ['chiyoda', '131016']] as const) {
      await platform.registry.seedMunicipality({ lgCode, residents: 30, seed: `kiosk-bad-input-${lgCode}` });
      const [card] = await platform.card.createDemoCards(lgCode, 1);
      assert.ok(card, `a demo card in ${lgCode}`);
      cards[name] = { id: card.id, serial: card.serial, pin: (await platform.card.demoPins(card.id)).auth };
    }
    // 三鷹市 takes part and this kiosk is its demo kiosk (what `start` and /kiosk/config.json do); 千代田区 does not.
    await platform.issuance.setUpDemo('132047');
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await close();
  });

  // ── helpers ───────────────────────────────────────────────────────────────────────────────────

  async function openKiosk(query = 'print=100'): Promise<{ page: Page; errors: string[] }> {
    const page = await browser!.newPage();
    page.setDefaultTimeout(15_000);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${url}/kiosk/?${query}`);
    await screen(page, JA.homeTitle);
    return { page, errors };
  }


  /** Home → 行政サービス → 証明書交付 → the card on the reader → its PIN. */
  async function authenticate(page: Page, card: { serial: string; pin: string }): Promise<void> {
    await page.getByRole('button', { name: new RegExp(`^${JA.administrative}`) }).click();
    await page.getByRole('button', { name: new RegExp(`^${JA.issuance}`) }).click();
    await screen(page, JA.cardTitle);
    await page.getByRole('button', { name: new RegExp(JA.demoCard(card.serial)) }).click();
    await screen(page, JA.pinTitle);
    await page.keyboard.type(card.pin);
    await page.getByRole('img', { name: JA.pinEntered(4) }).waitFor();
    await page.keyboard.press('Enter');
  }

  /** After authentication: 住民票の写し with its default options, 1 copy, the fee confirmed → the payment screen. */
  async function toPayment(page: Page): Promise<void> {
    await screen(page, JA.typeTitle);
    await page.getByRole('button', { name: /^住民票の写し/ }).click();
    await screen(page, JA.optionsTitle('住民票の写し'));
    await page.getByRole('button', { name: JA.next }).click();
    await screen(page, JA.copiesTitle);
    await page.getByRole('button', { name: JA.next }).click();
    await screen(page, JA.confirmTitle);
    await page.getByRole('button', { name: JA.toPayment }).click();
    await screen(page, JA.paymentTitle);
  }

  /** Everything money-related at the centre: the month's statement, its rows, refunds, orders no longer unpaid. */
  async function ledger() {
    const db = platform.database.db;
    const count = async (table: string, paidOnly = false) => {
      let query = db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
      if (paidOnly) query = query.where('status', '!=', 'ready');
      return Number((await query.executeTakeFirstOrThrow()).n);
    };
    return {
      statement: await platform.issuance.settlement('2026-11'),
      settlementRows: await count('issuance.settlement_rows'),
      refunds: await count('issuance.refunds'),
      paidOrders: await count('issuance.orders', true),
    };
  }

  const mainText = async (page: Page) => (await page.locator('main').innerText()).replace(/\s+/g, ' ');

  // ── the journeys ──────────────────────────────────────────────────────────────────────────────

  test('a resident of a municipality that does not take part: the message and the way to the counter, in Japanese and English; no charge', { timeout: 90_000 }, async () => {
    const before = await ledger();
    const { page, errors } = await openKiosk();
    try {
      await authenticate(page, cards.chiyoda);
      const message = JA.centreErrors.ISSUANCE_MUNICIPALITY_NOT_PARTICIPATING as string;
      await screen(page, message);
      assert.match(message, /市区町村の窓口で/);
      const text = await mainText(page);
      assert.ok(text.includes(JA.forgetCard), `the card reminder:\n${text}`);
      assert.doesNotMatch(text, /ISSUANCE_|JPKI_/, 'no internal code on screen');
      assert.equal(await page.getByRole('button', { name: JA.cancel }).count(), 0, 'no way into the menu');

      await page.getByRole('button', { name: JA.switchLanguageLabel }).click();
      await screen(page, EN.centreErrors.ISSUANCE_MUNICIPALITY_NOT_PARTICIPATING as string);
      assert.ok((await mainText(page)).includes(EN.forgetCard), 'the card reminder in English');
      await page.getByRole('button', { name: EN.switchLanguageLabel }).click();

      await page.getByRole('button', { name: JA.finish }).click();
      await screen(page, JA.homeTitle);
      assert.deepEqual(errors, [], 'no script errors in the page');
    } finally {
      await page.close();
    }
    assert.deepEqual(await ledger(), before, 'nothing charged or settled');
    const sessions = await platform.database.db.selectFrom('issuance.sessions').select(['status', 'lg_code']).execute();
    assert.ok(sessions.length > 0 && sessions.every((s) => s.status === 'ended'), 'the kiosk ended its session');
    assert.ok(sessions.every((s) => s.lg_code === null), 'no municipality was attached to the session');
  });

  test('the session expires (10 minutes) at 支払う: the message, the money given back, the card reminder; no charge', { timeout: 90_000 }, async () => {
    const before = await ledger();
    const { page, errors } = await openKiosk();
    try {
      await authenticate(page, cards.mitaka);
      await toPayment(page);
      await page.getByRole('button', { name: JA.insert(1000) }).click();
      await page.getByText(JA.change, { exact: true }).waitFor(); // enough money in: the change shows

      clock.advance(10 * 60_000 + 1_000); // the resident took more than the session's 10 minutes
      await page.getByRole('button', { name: JA.pay }).click();
      await screen(page, JA.centreErrors.ISSUANCE_SESSION_EXPIRED as string);
      const text = await mainText(page);
      assert.ok(text.includes(JA.returned(1000).replace(/\s+/g, ' ')), `the inserted money goes back:\n${text}`);
      assert.ok(text.includes(JA.forgetCard), `the card reminder:\n${text}`);

      await page.getByRole('button', { name: JA.finish }).click();
      await screen(page, JA.homeTitle);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
      clock.set('2026-11-24T03:00:00Z');
    }
    assert.deepEqual(await ledger(), before, 'nothing charged or settled');
    const orders = await platform.database.db.selectFrom('issuance.orders').select('status').execute();
    assert.ok(orders.length > 0 && orders.every((o) => o.status === 'ready'), 'the order stayed unpaid');
    const documents = await platform.database.db.selectFrom('issuance.pending_documents').select('copy').execute();
    assert.equal(documents.length, 0, 'ending the session dropped the unpaid documents');
  });

  test('no input at the payment (idle timeout): the card reminder and the money given back; no charge', { timeout: 90_000 }, async () => {
    const before = await ledger();
    const { page, errors } = await openKiosk('print=100&idle=8&warn=3');
    try {
      await authenticate(page, cards.mitaka);
      await toPayment(page);
      await page.getByRole('button', { name: JA.insert(100) }).click();
      await page.getByRole('alertdialog', { name: JA.idleTitle }).waitFor();
      await screen(page, JA.forgetCard);
      const text = await mainText(page);
      assert.ok(text.includes(JA.timedOutBody), text);
      assert.ok(text.includes(JA.returned(100).replace(/\s+/g, ' ')), `the inserted money goes back:\n${text}`);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
    assert.deepEqual(await ledger(), before, 'nothing charged or settled');
  });

  test('the server logged no error (no 500) during the journeys', () => {
    assert.deepEqual(serverErrors, []);
  });
});
