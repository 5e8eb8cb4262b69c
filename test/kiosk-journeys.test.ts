// The kiosk web app (web/kiosk) end to end: headless Chromium against a real `myna-platform start`
// (三鷹市 with demo cards, the real centre and municipal server, no stubs). Each certificate type is
// walked with the keyboard from the service choice to the receipt; the settlement statement and the
// printed PDF are then checked through the CLI and poppler. Also the wrong PIN, the locked PIN and a
// maintenance window (last: the window stays until the server stops).
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { chromiumMissing, launchChromium, waitForScreen as screen, type LaunchedChromium } from './support/browser.ts';
import { bin, root, startServer, type RunningServer } from './support/cli-server.ts';
import { missingTool } from './support/require-tool.ts';

const run = promisify(execFile);
const popplerMissing = missingTool('pdftotext', 'apt-get install -y poppler-utils') || missingTool('pdfsig', 'apt-get install -y poppler-utils');

type DemoCard = { cardId: string; serial: string; resident: string; pins: { auth: string } };
type CertificateType = 'juminhyo' | 'juminhyo_kisai_jiko' | 'inkan' | 'tax' | 'koseki' | 'koseki_fuhyo';
type SettlementRow = { type: string; copies: number; feesYen: number };

/** Screen titles (web/kiosk/src/messages.ts, 日本語). */
const TITLE = {
  home: 'ご利用になるサービスを選んでください',
  services: '行政サービスを選んでください',
  card: 'マイナンバーカードを置いてください',
  pin: '暗証番号（数字4桁）を入力してください',
  locked: /暗証番号がロックされています。\s*お住まいの市区町村の窓口で暗証番号の再設定をしてください/,
  municipality: 'どちらの市区町村の証明書ですか',
  type: '証明書の種類を選んでください',
  options: /の記載内容を選んでください$/,
  copies: '部数を選んでください',
  confirm: '内容と料金を確認してください',
  payment: '料金をお支払いください',
  printing: '証明書を印刷しています',
  take: 'カードと証明書をお取りください',
  receipt: 'ご利用ありがとうございました',
  closed: 'ただいま証明書交付サービスはご利用いただけません',
} as const;

/** In the page (the root tsconfig has no DOM types): what the focused element is called. */
const FOCUSED = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return { tag: '', name: '', group: '' };
  const label = el.labels && el.labels[0] ? el.labels[0].textContent : null;
  const name = (el.getAttribute('aria-label') || label || el.textContent || '').replace(/\\s+/g, ' ').trim();
  return { tag: el.tagName.toLowerCase(), name, group: el.getAttribute('name') || '' };
})()`;

/** The JST calendar month and wall clock of an instant. */
function jst(at: Date) {
  const shifted = new Date(at.getTime() + 9 * 3600_000);
  return {
    month: shifted.toISOString().slice(0, 7),
    /** As the kiosk shows it: 2026年11月24日(火) 11:12. */
    shown: `${shifted.getUTCFullYear()}年${shifted.getUTCMonth() + 1}月${shifted.getUTCDate()}日(${'日月火水木金土'[shifted.getUTCDay()]}) ${shifted.getUTCHours()}:${String(shifted.getUTCMinutes()).padStart(2, '0')}`,
  };
}

const squeeze = (text: string) => text.replace(/\s+/g, '');
const jaYen = (n: number) => `${n.toLocaleString('ja-JP')}円`;
const yen = (text: string) => Number(/([\d,]+)円/.exec(text)?.[1]?.replace(/,/g, '') ?? NaN);

describe('kiosk journeys in Chromium against a running platform', { skip: chromiumMissing() }, () => {
  let work = '';
  let env: NodeJS.ProcessEnv = {};
  const cli = async (...args: string[]) => (await run(process.execPath, [bin, ...args], { env, cwd: root, encoding: 'utf8' })).stdout;
  let server: RunningServer | undefined;
  let browser: LaunchedChromium | undefined;
  let cards: DemoCard[] = [];
  /**
   * The server's clock starts at 10:00 JST today (MYNA_CLOCK_START), inside the service hours
   * (6:30–23:00), whenever the test runs; `serverNow()` follows it.
   */
  const clockStart = new Date(`${new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10)}T10:00:00+09:00`);
  const realStart = Date.now();
  const serverNow = () => new Date(clockStart.getTime() + (Date.now() - realStart));
  /** Copies printed so far per type, as the settlement statement must count them. */
  const expected = new Map<string, number>();

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'myna-kiosk-journeys-'));
    env = { ...process.env, MYNA_DATA_DIR: join(work, 'data'), DATABASE_URL: '', MYNA_DEMO_RESIDENTS: '300', MYNA_DEMO_CARDS: '5', LOG_LEVEL: 'warn', MYNA_CLOCK_START: clockStart.toISOString() };
    execFileSync(process.execPath, ['scripts/build-web.js', 'kiosk'], { cwd: root, stdio: 'pipe' });
    server = await startServer(env);
    cards = JSON.parse(await cli('card', 'list', '--demo', '--json')) as DemoCard[];
    assert.equal(cards.length, 5, 'MYNA_DEMO_CARDS=5');
    const availability = await (await fetch(`${server.url}/issuance/centre/v1/availability`)).json() as { open: boolean; message?: string };
    assert.equal(availability.open, true, `the platform clock (MYNA_CLOCK_START) is inside the service hours: ${availability.message ?? ''}`);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  // ── the page ──────────────────────────────────────────────────────────────────────────────────

  async function openKiosk(): Promise<{ page: Page; errors: string[] }> {
    const page = await browser!.newPage();
    page.setDefaultTimeout(15_000);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    // Short simulated printing; the idle timeout stays at its default (60 s).
    await page.goto(`${server!.url}/kiosk/?print=300`);
    await screen(page, TITLE.home);
    return { page, errors };
  }


  /** Waits until the screen's text (whitespace removed) contains `text`. */
  async function mainShows(page: Page, text: string): Promise<void> {
    const js = `(document.querySelector('main')?.innerText ?? '').replace(/\\s+/g, '').includes(${JSON.stringify(squeeze(text))})`;
    try {
      await page.waitForFunction(js, undefined, { timeout: 15_000 });
    } catch (error) {
      throw new Error(`the screen does not show 「${text}」:\n${await page.locator('main').innerText()}`, { cause: error });
    }
  }

  /** Presses Tab until the focused element's name passes `match`. */
  async function tabTo(page: Page, match: (name: string, focused: { tag: string; group: string }) => boolean, what: string): Promise<void> {
    const seen: string[] = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate<{ tag: string; name: string; group: string }>(FOCUSED);
      if (match(focused.name, focused)) return;
      seen.push(focused.name);
    }
    throw new Error(`Tab never reached ${what}; it reached: ${[...new Set(seen)].join(' | ')}`);
  }

  /** Keyboard: Tab to the button whose name starts with `name`, then Enter. */
  async function press(page: Page, name: string): Promise<void> {
    await tabTo(page, (n, f) => f.tag === 'button' && n.startsWith(name), `the button 「${name}」`);
    await page.keyboard.press('Enter');
  }

  /** Keyboard: Tab into the radio group `group`, then arrow keys until `label` is chosen. */
  async function chooseRadio(page: Page, group: string, label: string): Promise<void> {
    await tabTo(page, (_, f) => f.tag === 'input' && f.group === group, `the choice 「${group}」`);
    for (let i = 0; i < 5; i++) {
      const focused = await page.evaluate<{ name: string }>(FOCUSED);
      if (focused.name.startsWith(label)) break;
      await page.keyboard.press('ArrowDown');
    }
    const checked = await page.evaluate<string>(`document.querySelector('input[name=${JSON.stringify(group)}]:checked')?.labels[0]?.textContent ?? ''`);
    assert.equal(checked, label, `${group}: ${label} is chosen`);
  }

  /** The PIN on the on-screen pad (mouse) or typed (keyboard), then 確定 / Enter. */
  async function enterPin(page: Page, pin: string, via: 'pad' | 'keyboard'): Promise<void> {
    await screen(page, TITLE.pin);
    if (via === 'pad') {
      for (const digit of pin) await page.getByRole('button', { name: `数字 ${digit}` }).click();
      assert.ok(await page.getByRole('img', { name: '4桁中 4桁 入力済み' }).isVisible(), 'four masked digits');
      assert.doesNotMatch(await page.locator('main').innerText(), new RegExp(pin), 'the PIN is masked');
      await page.getByRole('button', { name: '確定' }).click();
    } else {
      await page.keyboard.type(pin);
      await page.getByRole('img', { name: '4桁中 4桁 入力済み' }).waitFor();
      await page.keyboard.press('Enter');
    }
  }

  /** Home → 行政サービス → 証明書交付 → the demo card on the reader (all by keyboard). */
  async function placeCard(page: Page, card: DemoCard): Promise<void> {
    await press(page, '行政サービス');
    await screen(page, TITLE.services);
    await press(page, '証明書交付');
    await screen(page, TITLE.card);
    await press(page, `カード ${card.serial}`);
    await screen(page, TITLE.pin);
  }

  /** After authentication: the municipality (when the resident has a 本籍地 registration). */
  async function chooseMunicipality(page: Page, target: 'residence' | 'honseki'): Promise<void> {
    await page.getByRole('heading', { level: 1, name: new RegExp(`^(${TITLE.municipality}|${TITLE.type})$`) }).waitFor();
    const heading = await page.getByRole('heading', { level: 1 }).innerText();
    if (heading === TITLE.municipality) {
      await press(page, target === 'residence' ? '住所地（三鷹市）' : '本籍地（三鷹市）');
    } else {
      assert.equal(target, 'residence', 'no 本籍地 offered for this holder');
    }
    await screen(page, TITLE.type);
  }

  async function cancelToHome(page: Page): Promise<void> {
    await press(page, '中止');
    await screen(page, TITLE.home);
  }

  /** The PDF behind a receipt link (an object URL of the page), as bytes. */
  async function pdfOf(page: Page, copy: number): Promise<Buffer> {
    const link = page.getByRole('link', { name: `デモ：${copy}通目の証明書（PDF）を開く` });
    const href = await link.getAttribute('href');
    assert.match(href ?? '', /^blob:/);
    const base64 = await page.evaluate<string>(`(async () => {
      const bytes = new Uint8Array(await (await fetch(${JSON.stringify(href)})).arrayBuffer());
      let binary = '';
      for (const b of bytes) binary += String.fromCharCode(b);
      return btoa(binary);
    })()`);
    return Buffer.from(base64, 'base64');
  }

  /** `myna-platform issuance settlement --month <this JST month>`, by type. */
  async function settlement(): Promise<{ csv: string; rows: Map<string, SettlementRow> }> {
    const csv = await cli('issuance', 'settlement', '--month', jst(serverNow()).month);
    const [header, ...lines] = csv.trim().split('\n');
    assert.match(header ?? '', /^対象月,地方公共団体コード,事業者,証明書,交付通数,手数料（円）/);
    const rows = new Map<string, SettlementRow>();
    for (const line of lines) {
      const [, lgCode, , type, copies, fees] = line.split(',');
      assert.equal(lgCode, '132047');
      const row = rows.get(type!) ?? { type: type!, copies: 0, feesYen: 0 };
      rows.set(type!, { type: type!, copies: row.copies + Number(copies), feesYen: row.feesYen + Number(fees) });
    }
    return { csv, rows };
  }

  // ── one certificate journey ───────────────────────────────────────────────────────────────────

  interface Journey {
    type: CertificateType;
    /** The tile's title. */
    title: string;
    /** The certificate's own title, when the options change it (戸籍個人事項証明書). */
    orderTitle?: string;
    target: 'residence' | 'honseki';
    copies: number;
    /** Choices on the options screen: radio group (OptionSpec.name) → label. */
    choose?: Record<string, string>;
    /** The confirmation's 記載内容 must contain these labels. */
    details?: string[];
    /** Holders to try, in order, until one can have this certificate. */
    candidates: DemoCard[];
    pin: 'pad' | 'keyboard';
    /** The 戸籍 prints the 氏 once (筆頭者) and each member's 名 on its own: look for both parts, not the full name. */
    nameInParts?: boolean;
    /** Extra checks on the pdftotext output. */
    pdfText?: (text: string) => void;
  }

  async function walk(t: TestContext, journey: Journey): Promise<void> {
    const started = Date.now();
    const { page, errors } = await openKiosk();
    try {
      // 1. Who: the first candidate whose menu offers the certificate and whose municipality accepts the order.
      let holder: DemoCard | undefined;
      let feePerCopy = 0;
      const refused: string[] = [];
      for (const card of journey.candidates) {
        await placeCard(page, card);
        await enterPin(page, card.pins.auth, journey.pin);
        await chooseMunicipality(page, journey.target);
        const tile = page.getByRole('button', { name: new RegExp(`^${journey.title}`) });
        if (await tile.getAttribute('aria-disabled') === 'true') {
          refused.push(`${card.resident}: ${await tile.innerText()}`);
          await cancelToHome(page);
          continue;
        }
        feePerCopy = yen(await tile.innerText());
        await press(page, journey.title);

        // 2. Options (keyboard: Tab into the group, arrow keys), then copies ("+" key), then 次へ.
        await page.getByRole('heading', { level: 1, name: new RegExp(`(${TITLE.options.source})|^${TITLE.copies}$`) }).waitFor();
        if (await page.getByRole('heading', { level: 1, name: TITLE.options }).count() > 0) {
          for (const [group, label] of Object.entries(journey.choose ?? {})) await chooseRadio(page, group, label);
          await press(page, '次へ');
        } else {
          assert.equal(journey.choose, undefined, `${journey.title} has no options screen`);
        }
        await screen(page, TITLE.copies);
        for (let n = 1; n < journey.copies; n++) await page.keyboard.press('+');
        await page.getByText(`${journey.copies}通`, { exact: true }).waitFor();
        assert.ok(await page.getByText(`${jaYen(feePerCopy)} × ${journey.copies}通 ＝ ${jaYen(feePerCopy * journey.copies)}`).isVisible(), 'the subtotal');
        await press(page, '次へ');
        // The municipality refuses at the order (e.g. no registered seal): the reason, on the same screen.
        const notice = page.getByRole('alert');
        await page.waitForFunction(`document.querySelector('main h1')?.textContent === ${JSON.stringify(TITLE.confirm)} || !!document.querySelector('[role=alert]')`);
        if (await notice.count() > 0) {
          refused.push(`${card.resident}: ${await notice.innerText()}`);
          await cancelToHome(page);
          continue;
        }
        holder = card;
        break;
      }
      assert.ok(holder, `no demo holder can have a ${journey.title}: ${refused.join(' / ')}`);

      // 3. The fee, as the centre priced the order.
      await screen(page, TITLE.confirm);
      const summary = await page.locator('main').innerText();
      const total = feePerCopy * journey.copies;
      const title = journey.orderTitle ?? journey.title;
      assert.match(summary, new RegExp(`証明書\\s+${title}\\n`));
      assert.match(summary, /市区町村\s+三鷹市/);
      assert.match(summary, new RegExp(`部数\\s+${journey.copies}通`));
      assert.match(summary, new RegExp(`1通の手数料\\s+${jaYen(feePerCopy)}`));
      assert.match(summary, new RegExp(`合計金額\\s+${jaYen(total)}`));
      for (const label of journey.details ?? []) assert.ok(summary.includes(label), `記載内容 shows ${label}:\n${summary}`);
      await press(page, 'お支払いへ進む');

      // 4. Cash: a 100 yen coin first (not enough: 支払う is disabled), then 1000 yen notes until it is.
      await screen(page, TITLE.payment);
      await press(page, '100円玉を入れる');
      let inserted = 100;
      if (inserted < total) {
        await mainShows(page, `不足金額${jaYen(total - inserted)}`);
        assert.equal(await page.getByRole('button', { name: '支払う' }).getAttribute('aria-disabled'), 'true');
      }
      while (inserted < total) {
        await press(page, '1,000円札を入れる');
        inserted += 1000;
      }
      const change = inserted - total;
      await mainShows(page, `投入金額${jaYen(inserted)}`);
      await mainShows(page, `おつり${jaYen(change)}`);
      await press(page, '支払う');

      // 5. Printing, the reminder to take card, certificates and change, the receipt.
      await screen(page, TITLE.printing);
      await screen(page, TITLE.take);
      if (change > 0) assert.ok(await page.getByText(`おつり ${jaYen(change)} をお取りください。`).isVisible());
      await press(page, '受け取りました');
      await screen(page, TITLE.receipt);
      const receipt = await page.locator('main').innerText();
      const receiptNo = /受付番号\s+(\S+)/.exec(receipt)?.[1];
      assert.match(receiptNo ?? '', /^R[0-9A-Z]{6,}$/, `a receipt number:\n${receipt}`);
      assert.match(receipt, /カードのお取り忘れにご注意ください/);
      assert.ok(receipt.includes(`${title}　${journey.copies}通 × ${jaYen(feePerCopy)}`), `the receipt item:\n${receipt}`);
      assert.match(receipt, new RegExp(`お支払い\\s+${jaYen(inserted)}`));
      assert.equal(await page.getByRole('link', { name: /通目の証明書（PDF）を開く/ }).count(), journey.copies, 'one PDF link per copy');
      const pdfs: Buffer[] = [];
      for (let copy = 1; copy <= journey.copies; copy++) pdfs.push(await pdfOf(page, copy));
      await press(page, '終了する');
      await screen(page, TITLE.home);
      assert.deepEqual(errors, [], 'no script errors in the page');

      // 6. The centre's side: the settlement statement counts the copies; the PDFs name the holder and are signed.
      expected.set(journey.type, (expected.get(journey.type) ?? 0) + journey.copies);
      const { rows } = await settlement();
      for (const [type, copies] of expected) {
        assert.equal(rows.get(type)?.copies, copies, `settlement: ${type} copies`);
        if (type === journey.type) assert.equal(rows.get(type)?.feesYen, copies * feePerCopy, `settlement: ${type} fees`);
      }
      await t.test('pdftotext finds the holder in every printed copy; pdfsig validates the signature', { skip: popplerMissing }, () => {
        pdfs.forEach((pdf, i) => {
          const file = join(work, `${journey.type}-${i + 1}.pdf`);
          writeFileSync(file, pdf);
          const text = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
          const names = journey.nameInParts ? holder!.resident.split(/\s+/) : [holder!.resident];
          for (const name of names) assert.ok(squeeze(text).includes(squeeze(name)), `${file} names ${holder!.resident}:\n${text.slice(0, 400)}`);
          assert.ok(squeeze(text).includes(title), `${file} is a ${title}`);
          journey.pdfText?.(text);
          const sig = spawnSync('pdfsig', [file], { encoding: 'utf8' });
          assert.match(sig.stdout, /Signature Validation: Signature is Valid\./, sig.stdout + sig.stderr);
          assert.match(sig.stdout, /O=三鷹市/);
        });
      });
      t.diagnostic(`${journey.title} ×${journey.copies} for ${holder!.resident} in ${Date.now() - started} ms${refused.length ? `; refused first: ${refused.join(' / ')}` : ''}`);
    } finally {
      await page.close();
    }
  }

  // ── the journeys ──────────────────────────────────────────────────────────────────────────────
  // cards[4] is kept for the locked-PIN journey (its PIN stays locked); cards[3] has the wrong PIN.
  const pool = (...order: number[]) => order.map((i) => cards[i]!);

  test('住民票の写し: 個人票 with 本籍, 2 copies', { timeout: 60_000 }, (t) => walk(t, {
    type: 'juminhyo', title: '住民票の写し', target: 'residence', copies: 2, pin: 'keyboard', candidates: pool(0, 1, 2, 3),
    choose: { layout: '個人票（1人ずつ）', showHonseki: '記載する' },
    details: ['個人票（1人ずつ）', '世帯全員'],
    pdfText: (text) => {
      assert.match(text, /筆頭者/, '本籍・筆頭者 printed');
      assert.doesNotMatch(text, /世帯員/, 'no household table in the 個人票 layout');
    },
  }));

  test('住民票記載事項証明書', { timeout: 60_000 }, (t) => walk(t, {
    type: 'juminhyo_kisai_jiko', title: '住民票記載事項証明書', target: 'residence', copies: 1, pin: 'pad', candidates: pool(1, 2, 3, 0),
  }));

  test('印鑑登録証明書 (a holder with a registered seal)', { timeout: 90_000 }, (t) => walk(t, {
    // cards[3]'s holder has no seal in the demo seed: the kiosk must move on to another holder.
    type: 'inkan', title: '印鑑登録証明書', target: 'residence', copies: 1, pin: 'keyboard', candidates: pool(3, 0, 1, 2),
    pdfText: (text) => assert.match(text, /登録番号/),
  }));

  test('所得・課税証明書', { timeout: 90_000 }, (t) => walk(t, {
    type: 'tax', title: '所得・課税証明書', target: 'residence', copies: 1, pin: 'pad', candidates: pool(2, 3, 0, 1),
  }));

  test('戸籍証明書 (本籍地), 個人事項', { timeout: 90_000 }, (t) => walk(t, {
    type: 'koseki', title: '戸籍証明書', target: 'honseki', copies: 1, pin: 'keyboard', candidates: pool(3, 0, 1, 2),
    choose: { scope: '個人事項証明書（戸籍抄本）' }, details: ['個人事項証明書（戸籍抄本）'], orderTitle: '戸籍個人事項証明書', nameInParts: true,
    pdfText: (text) => assert.match(text, /戸籍中の一部の者/, 'the 個人事項 certification'),
  }));

  test('戸籍の附票の写し (本籍地)', { timeout: 90_000 }, (t) => walk(t, {
    type: 'koseki_fuhyo', title: '戸籍の附票の写し', target: 'honseki', copies: 1, pin: 'pad', candidates: pool(1, 2, 3, 0),
  }));

  test('a wrong PIN shows the tries left; the right PIN then goes on', { timeout: 60_000 }, async (t) => {
    const card = cards[3]!;
    const wrong = [...card.pins.auth].map((d) => String((Number(d) + 1) % 10)).join('');
    const { page, errors } = await openKiosk();
    try {
      await placeCard(page, card);
      await enterPin(page, wrong, 'keyboard');
      await screen(page, TITLE.pin);
      await page.getByRole('alert').filter({ hasText: '暗証番号が違います。あと 2 回間違えるとロックされます' }).waitFor();
      await enterPin(page, card.pins.auth, 'pad');
      await chooseMunicipality(page, 'residence');
      assert.ok(await page.getByRole('button', { name: /^住民票の写し/ }).isVisible());
      await cancelToHome(page);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });

  test('three wrong PINs lock the card: the counter message, and no charge', { timeout: 60_000 }, async (t) => {
    const card = cards[4]!;
    const before = (await settlement()).csv;
    const wrong = [...card.pins.auth].map((d) => String((Number(d) + 3) % 10)).join('');
    const { page, errors } = await openKiosk();
    try {
      await placeCard(page, card);
      for (const left of [2, 1]) {
        await enterPin(page, wrong, left === 2 ? 'pad' : 'keyboard');
        await screen(page, TITLE.pin);
        await page.getByRole('alert').filter({ hasText: `あと ${left} 回間違えるとロックされます` }).waitFor();
      }
      await enterPin(page, wrong, 'keyboard');
      await screen(page, TITLE.locked);
      assert.match(await page.locator('main').innerText(), /カードのお取り忘れにご注意ください/);
      await press(page, '終了する');
      await screen(page, TITLE.home);
      // Placed again, the card is recognised as locked before any PIN is asked.
      await press(page, '行政サービス');
      await press(page, '証明書交付');
      await screen(page, TITLE.card);
      await press(page, `カード ${card.serial}`);
      await screen(page, TITLE.locked);
      await press(page, '終了する');
      await screen(page, TITLE.home);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
    assert.equal((await settlement()).csv, before, 'settlement unchanged');
  });

  // Last: the window stays until the server stops.
  test('a maintenance window of the whole service: the closed screen says when it reopens', { timeout: 60_000 }, async (t) => {
    const { page, errors } = await openKiosk();
    try {
      const now = serverNow().getTime();
      const until = new Date(now + 10 * 60_000);
      const scheduled = await cli('issuance', 'maintenance', '--from', new Date(now - 60_000).toISOString(), '--until', until.toISOString(), '--reason', '試験');
      assert.match(scheduled, /サービス全体の停止を登録しました/);
      const availability = await (await fetch(`${server!.url}/issuance/centre/v1/availability`)).json() as Record<string, unknown>;
      assert.equal(availability['open'], false);
      assert.equal(availability['reason'], 'maintenance');
      assert.equal(availability['reopensAt'], until.toISOString());

      // The page still shows the start screen (it asks /availability once a minute): starting a session finds it closed.
      await press(page, '行政サービス');
      await press(page, '証明書交付');
      await screen(page, TITLE.closed);
      await mainShows(page, `再開予定：${jst(until).shown}`);

      await page.reload();
      await screen(page, TITLE.closed);
      const text = await page.locator('main').innerText();
      assert.match(text, /システムの保守のため休止しています。/);
      assert.match(text, /システムの保守のため停止しています（試験）/);
      assert.ok(text.includes(`再開予定：${jst(until).shown}`), `reopens ${jst(until).shown}:\n${text}`);
      const buttons = await page.getByRole('button').allInnerTexts();
      assert.deepEqual(buttons.map((b) => b.replace(/\s+/g, ' ').trim()), ['文A English'], 'no way forward, only the language switch');
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });
});
