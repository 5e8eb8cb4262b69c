// Headless Chromium for the web UI tests (DESIGN §10): Debian's chromium driven by playwright-core, one fresh profile per launch.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's package; CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const INSTALL = 'apt-get install -y chromium fonts-noto-cjk';

/** The flags that work on these machines (../shared/STACK-NOTES.md, Web). */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * The `skip` option of a browser test: false when Chromium is installed; otherwise the install hint,
 * except under CI=true, where a missing browser is an error (as test/support/require-tool.ts).
 *
 * @example
 * describe('kiosk in Chromium', { skip: chromiumMissing() }, () => { … });
 */
export function chromiumMissing(): false | string {
  if (existsSync(CHROMIUM_PATH)) return false;
  if (process.env['CI'] === 'true') throw new Error(`chromium is required in CI but missing at ${CHROMIUM_PATH}; .ci/run must install it (${INSTALL})`);
  return `chromium が見つかりません（${CHROMIUM_PATH}）。インストールしてください: ${INSTALL}`;
}

export interface LaunchedChromium {
  context: BrowserContext;
  /** A new tab. */
  newPage(): Promise<Page>;
  /** Closes the browser and deletes its profile folder. */
  close(): Promise<void>;
}

/**
 * Launches headless Chromium with a fresh profile (a temp folder, through launchPersistentContext,
 * never --user-data-dir), a kiosk-sized window, Japanese locale and JST.
 *
 * @example
 * const browser = await launchChromium();
 * after(() => browser.close());
 * const page = await browser.newPage();
 */
export async function launchChromium(options: { viewport?: { width: number; height: number }; locale?: string } = {}): Promise<LaunchedChromium> {
  const profile = await mkdtemp(join(tmpdir(), 'myna-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: options.viewport ?? { width: 1280, height: 800 },
      locale: options.locale ?? 'ja-JP',
      timezoneId: 'Asia/Tokyo',
    });
    return {
      context,
      newPage: () => context.newPage(),
      async close() {
        await context.close();
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
}

/** Waits for the kiosk screen with this level-1 heading; on timeout, says which screen is up instead. */
export async function waitForScreen(page: Page, title: string | RegExp): Promise<void> {
  try {
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
  } catch (error) {
    const text = await page.locator('body').innerText().catch(() => '(no page)');
    throw new Error(`expected the screen 「${title}」, but the kiosk shows:\n${text}`, { cause: error });
  }
}
