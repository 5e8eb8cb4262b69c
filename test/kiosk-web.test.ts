// The kiosk web app (web/kiosk) in headless Chromium, served by src/http/web-apps.ts: Japanese first screen,
// English toggle, keyboard with a visible focus, the out-of-hours screen. The centre's availability is a
// stub here; the whole journeys run against the real centre in their own tests.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { webApps } from '../src/http/web-apps.ts';
import { chromiumMissing, launchChromium, type LaunchedChromium } from './support/browser.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));
const CLOSED = {
  open: false, reason: 'hours', reopensAt: '2026-11-25T21:30:00.000Z',
  message: 'ご利用時間は6時30分から23時までです。11月26日6時30分から利用できます。',
};

/** In the page (the root tsconfig has no DOM types): the focused button's name and outline. */
const FOCUSED_BUTTON = `(() => {
  const el = document.activeElement;
  if (!el || el.tagName !== 'BUTTON') return null;
  const style = getComputedStyle(el);
  return { name: (el.getAttribute('aria-label') ?? el.textContent ?? '').trim(), outline: parseFloat(style.outlineWidth), style: style.outlineStyle };
})()`;

describe('kiosk web app in Chromium', { skip: chromiumMissing() }, () => {
  let server: FastifyInstance;
  let browser: LaunchedChromium;
  let base = '';
  let availability: Record<string, unknown> = { open: true };

  before(async () => {
    execFileSync(process.execPath, ['scripts/build-web.js', 'kiosk'], { cwd: repo, stdio: 'pipe' });
    server = Fastify();
    await server.register(webApps, { kioskConfig: () => ({ kioskCredential: 'kio_test_credential', operatorName: 'テストストア 三鷹駅前店' }) });
    server.get('/issuance/centre/v1/availability', async () => availability);
    base = await server.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${base}/kiosk/`);
    return page;
  }
  const heading = (page: Page) => page.getByRole('heading', { level: 1 });

  test('the first screen is in Japanese, in large type, and every button has a name', async () => {
    const page = await open();
    await heading(page).filter({ hasText: 'ご利用になるサービスを選んでください' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'ja');
    assert.ok(await page.getByRole('button', { name: /行政サービス/ }).isVisible());
    assert.ok(await page.getByText('テストストア 三鷹駅前店').isVisible(), 'the operator from config.json');
    const bodySize = await page.evaluate<number>('parseFloat(getComputedStyle(document.body).fontSize)');
    assert.ok(bodySize >= 24, `body text is ${bodySize}px`);
    const unnamed = await page.evaluate<number>(`[...document.querySelectorAll('button')].filter((b) => !(b.getAttribute('aria-label') || b.textContent || '').trim()).length`);
    assert.equal(unnamed, 0);
    await page.close();
  });

  test('the language switch turns every word to English and back', async () => {
    const page = await open();
    await heading(page).filter({ hasText: 'ご利用になるサービスを選んでください' }).waitFor();
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await heading(page).filter({ hasText: 'Choose a service' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.ok(await page.getByRole('button', { name: /Government services/ }).isVisible());
    await page.getByRole('button', { name: '日本語に切り替える' }).click();
    await heading(page).filter({ hasText: 'ご利用になるサービスを選んでください' }).waitFor();
    await page.close();
  });

  test('Tab reaches the buttons with a visible focus ring; Enter chooses, Escape goes back', async () => {
    const page = await open();
    await heading(page).filter({ hasText: 'ご利用になるサービスを選んでください' }).waitFor();
    const reached = new Map<string, { outline: number; style: string }>();
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate<{ name: string; outline: number; style: string } | null>(FOCUSED_BUTTON);
      if (focused) reached.set(focused.name, focused);
    }
    const tile = [...reached.entries()].find(([name]) => name.includes('行政サービス'));
    assert.ok(tile, `Tab reached: ${[...reached.keys()].join(' | ')}`);
    assert.ok(reached.has('Switch to English'), 'Tab reaches the language switch');
    for (const [name, ring] of reached) assert.ok(ring.style !== 'none' && ring.outline >= 3, `${name}: focus outline ${ring.outline}px ${ring.style}`);

    await page.getByRole('button', { name: /行政サービス/ }).focus();
    await page.keyboard.press('Enter');
    await heading(page).filter({ hasText: '行政サービスを選んでください' }).waitFor();
    assert.ok(await page.getByRole('button', { name: /証明書交付/ }).isVisible());
    await page.keyboard.press('Escape');
    await heading(page).filter({ hasText: 'ご利用になるサービスを選んでください' }).waitFor();
    await page.close();
  });

  test('out of hours: the centre\'s message and when it reopens, and no way forward', async () => {
    availability = CLOSED;
    try {
      const page = await open();
      await heading(page).filter({ hasText: 'ただいま証明書交付サービスはご利用いただけません' }).waitFor();
      const text = await page.locator('main').innerText();
      assert.match(text, /ご利用時間は6時30分から23時までです/);
      assert.match(text, /再開予定：2026年11月26日\(木\) 6:30/);
      const buttons = await page.getByRole('button').allInnerTexts();
      assert.deepEqual(buttons.map((b) => b.replace(/\s+/g, ' ').trim()), ['文A English'], 'only the language switch');
      await page.getByRole('button', { name: 'Switch to English' }).click();
      await heading(page).filter({ hasText: 'The certificate service is not available now' }).waitFor();
      assert.match(await page.locator('main').innerText(), /Reopens: Thu,? 26 November 2026,? (at )?0?6:30/);
      await page.close();
    } finally {
      availability = { open: true };
    }
  });
});

describe('web apps plugin', () => {
  test('SPA fallback to index.html, 404 for a missing asset, 503 problem+json when the app is not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'myna-web-'));
    const app = Fastify();
    await app.register(webApps, { webDir: empty });
    try {
      const missing = await app.inject({ method: 'GET', url: '/kiosk/' });
      assert.equal(missing.statusCode, 503);
      assert.match(String(missing.headers['content-type']), /^application\/problem\+json/);
      assert.match(missing.json().title, /npm run build:web を実行してください/);
      const redirect = await app.inject({ method: 'GET', url: '/kiosk' });
      assert.equal(redirect.statusCode, 301);
      assert.equal(redirect.headers.location, '/kiosk/');
    } finally {
      await app.close();
      rmSync(empty, { recursive: true, force: true });
    }

    execFileSync(process.execPath, ['scripts/build-web.js', 'kiosk'], { cwd: repo, stdio: 'pipe' });
    const built = Fastify();
    await built.register(webApps);
    try {
      const page = await built.inject({ method: 'GET', url: '/kiosk/' });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<div id="root">/);
      assert.equal(page.headers['cache-control'], 'no-cache');
      const deep = await built.inject({ method: 'GET', url: '/kiosk/some/screen' });
      assert.equal(deep.statusCode, 200);
      assert.match(String(deep.headers['content-type']), /^text\/html/);
      const asset = await built.inject({ method: 'GET', url: '/kiosk/assets/nothing-here.js' });
      assert.equal(asset.statusCode, 404);
      assert.equal(asset.json().code, 'KERNEL_ROUTE_NOT_FOUND');
      const script = /src="\/kiosk\/(assets\/[^"]+\.js)"/.exec(page.body)?.[1];
      assert.ok(script, 'index.html loads a hashed script');
      const js = await built.inject({ method: 'GET', url: `/kiosk/${script}` });
      assert.equal(js.statusCode, 200);
      assert.match(String(js.headers['cache-control']), /immutable/);
    } finally {
      await built.close();
    }
  });
});
