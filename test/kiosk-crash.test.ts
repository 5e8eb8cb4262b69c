// Crash safety of the コンビニ交付 kiosk (issue #5 item 8) against a real `myna-platform start`: a kiosk process SIGKILLed at
// each step of the journey, and the platform server SIGKILLed between steps, then reconciled from the kiosk's journal
// (`kiosk reconcile`). Checked through the settlement statement and, at the end, the centre's own tables: one settlement
// row per printed copy, a refund per unprinted copy, nothing charged twice, no document left at the centre.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { remoteOperations } from '../src/cli/remote-operations.ts';
import { openDatabase } from '../src/kernel/db/database.ts';
import { entryFinished, foldJournal, kioskClient, openKioskJournal, readJournalRecords, UNPRINTED_AFTER_CRASH, type JournalRecord, type ReconcileSummary, type SettlementLine } from '../src/modules/issuance/index.ts';
import { readHandover } from '../src/platform/server-handover.ts';
import { chromiumMissing, launchChromium, type LaunchedChromium } from './support/browser.ts';
import { bin, root } from './support/cli-server.ts';
import type { DriverArgs } from './support/kiosk-driver.ts';
import { freePort, startServerOnPort, type KillableServer } from './support/restartable-server.ts';

const execFileAsync = promisify(execFile);
const DRIVER = join(root, 'test/support/kiosk-driver.ts');
const TYPE = 'juminhyo';

type DemoCard = { cardId: string; serial: string; residentCode: string; resident: string; pins: { auth: string } };
type Totals = { copies: number; feesYen: number; refunds: number; refundedYen: number };
type Summary = Pick<ReconcileSummary, 'orders' | 'copiesConfirmed' | 'copiesRefunded' | 'sessionsEnded'>;
/** What the centre must hold for one order at the end: the copies settled, and the refunded ones with the reason. */
type Expectation = { what: string; orderId: string; status: 'ready' | 'completed'; settled: number[]; refunded: Record<number, string> };

/** The fields a journal record may have: ids, copy numbers, yen, keys, the printer's words. Nothing else. */
const JOURNAL_FIELDS = new Set(['type', 'journey', 'at', 'step', 'key', 'fingerprint', 'sessionId', 'orderId', 'copies', 'feePerCopyYen', 'totalYen', 'paidYen', 'copy', 'printed', 'error', 'receiptNo', 'refundedYen', 'reason']);

/** A running child process whose stdout lines can be waited for. */
interface Driven {
  lines: string[];
  waitFor(prefix: string): Promise<string>;
  send(line: string): void;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

describe('kiosk crashes reconciled from the journal (kiosk reconcile) against a running platform', () => {
  const work = mkdtempSync(join(tmpdir(), 'myna-kiosk-crash-'));
  const dataDir = join(work, 'data');
  // The server's clock starts at 10:00 JST today (inside the service hours) and keeps running across restarts.
  const clockStart = new Date(`${new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10)}T10:00:00+09:00`);
  const realStart = Date.now();
  const month = new Date(clockStart.getTime() + 9 * 3600_000).toISOString().slice(0, 7);
  const baseEnv: NodeJS.ProcessEnv = { ...process.env, MYNA_DATA_DIR: dataDir, DATABASE_URL: '', MYNA_DEMO_RESIDENTS: '150', MYNA_DEMO_CARDS: '3', LOG_LEVEL: 'warn' };
  const env = () => ({ ...baseEnv, MYNA_CLOCK_START: new Date(clockStart.getTime() + (Date.now() - realStart)).toISOString() });
  let port = 0;
  let server: KillableServer | undefined;
  let credential = '';
  let holder: DemoCard | undefined;
  let totals: Totals = { copies: 0, feesYen: 0, refunds: 0, refundedYen: 0 };
  const expectations: Expectation[] = [];
  /** The print result's key the kiosk journaled before the server died (must be the one the centre saw). */
  let journaledReportKey = '';

  async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await execFileAsync(process.execPath, [bin, ...args], { env: env(), cwd: root, encoding: 'utf8' });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  }

  /** The month's settlement statement, summed over its 住民票 lines (this test orders nothing else). */
  function totalsOf(lines: Pick<SettlementLine, 'type' | 'copies' | 'feesYen' | 'refunds' | 'refundedYen'>[]): Totals {
    const sum: Totals = { copies: 0, feesYen: 0, refunds: 0, refundedYen: 0 };
    for (const l of lines.filter((l) => l.type === TYPE)) {
      sum.copies += l.copies;
      sum.feesYen += l.feesYen;
      sum.refunds += l.refunds;
      sum.refundedYen += l.refundedYen;
    }
    return sum;
  }

  /** `issuance settlement --month` (the CLI; a process start, so used where it matters). */
  async function settlementCli(): Promise<Totals> {
    const result = await cli('issuance', 'settlement', '--month', month);
    assert.equal(result.code, 0, result.stderr);
    return totalsOf(result.stdout.trim().split('\n').slice(1).map((line) => {
      const [, , , type, copies, feesYen, , refunds, refundedYen] = line.split(',');
      return { type: type!, copies: Number(copies), feesYen: Number(feesYen), refunds: Number(refunds), refundedYen: Number(refundedYen) };
    }));
  }

  /** The same statement through the running server's operations API (what the CLI calls), without a process start. */
  async function settlement(): Promise<Totals> {
    return totalsOf(await remoteOperations(readHandover(dataDir)!).issuanceSettlement({ month }));
  }

  /**
   * Asserts how many copies were settled and refunded since the last check (read through the
   * operator API, or the CLI with `read = settlementCli`); the statement then becomes the new baseline.
   */
  async function assertSettledSince(expected: [copies: number, refunds: number], message?: string, read: () => Promise<Totals> = settlement): Promise<void> {
    const now = await read();
    assert.deepEqual([now.copies - totals.copies, now.refunds - totals.refunds], expected, message);
    totals = now;
  }

  /** `kiosk reconcile --journal <file> --json`. */
  async function reconcile(journal: string): Promise<ReconcileSummary> {
    const result = await cli('kiosk', 'reconcile', '--journal', journal, '--json');
    assert.equal(result.code, 0, `kiosk reconcile: ${result.stderr}`);
    return JSON.parse(result.stdout) as ReconcileSummary;
  }

  /** The same reconciliation in this process (kioskClient with the journal), as a restarted kiosk would run it. */
  async function reconcileInProcess(path: string): Promise<ReconcileSummary> {
    const journal = openKioskJournal(path);
    try {
      return await kioskClient(server!.url, credential, { journal }).reconcile();
    } finally {
      journal.close();
    }
  }

  const pick = (s: ReconcileSummary): Summary => ({ orders: s.orders, copiesConfirmed: s.copiesConfirmed, copiesRefunded: s.copiesRefunded, sessionsEnded: s.sessionsEnded });

  /** One kiosk process (test/support/kiosk-driver.ts); the PIN and the credential go by environment, never on the command line. */
  function drive(args: Omit<DriverArgs, 'url' | 'cardId' | 'type'>): Driven {
    const full: DriverArgs = { url: server!.url, cardId: holder!.cardId, type: TYPE, ...args };
    const child = spawn(process.execPath, ['--import', 'tsx', DRIVER, JSON.stringify(full)], {
      cwd: root, env: { ...env(), KIOSK_DRIVER_PIN: holder!.pins.auth, MYNA_KIOSK_CREDENTIAL: credential }, stdio: ['pipe', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    const waiters: { prefix: string; resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let at: number;
      while ((at = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, at);
        buffered = buffered.slice(at + 1);
        lines.push(line);
        for (const w of waiters.filter((w) => line.startsWith(w.prefix))) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    });
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => {
      for (const w of waiters.splice(0)) w.reject(new Error(`the kiosk exited (${code ?? signal}) before「${w.prefix}」: ${lines.join(' | ')}\n${stderr}`));
      resolve({ code, signal });
    }));
    return {
      lines, exit, stderr: () => stderr,
      send: (line) => child.stdin.write(`${line}\n`),
      waitFor: (prefix) => {
        const seen = lines.find((l) => l.startsWith(prefix));
        if (seen) return Promise.resolve(seen);
        if (child.exitCode !== null || child.signalCode !== null) return Promise.reject(new Error(`the kiosk has exited: ${lines.join(' | ')}\n${stderr}`));
        return new Promise((resolve, reject) => waiters.push({ prefix, resolve, reject }));
      },
    };
  }

  /** The journal holds ids, copy numbers, yen and keys only: no PIN, credential, certificate, PDF, name or resident code. */
  function assertJournalClean(path: string): JournalRecord[] {
    const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    const records = readJournalRecords(path);
    for (const record of records) {
      for (const [field, value] of Object.entries(record)) {
        assert.ok(JOURNAL_FIELDS.has(field), `journal field ${field}`);
        assert.notEqual(String(value), holder!.pins.auth, 'no PIN in the journal');
      }
    }
    for (const secret of [credential, holder!.residentCode, holder!.resident, '%PDF', 'JVBERi0']) assert.ok(!text.includes(secret), 'nothing secret or personal in the journal');
    assert.ok(!/"pin"|"certificate"|"signature"|"pdf"/i.test(text));
    return records;
  }

  before(async () => {
    port = await freePort();
    server = await startServerOnPort(env(), port);
    const listed = await cli('card', 'list', '--demo', '--json');
    assert.equal(listed.code, 0, listed.stderr);
    const cards = JSON.parse(listed.stdout) as DemoCard[];
    credential = (await (await fetch(`${server.url}/kiosk/config.json`)).json() as { kioskCredential: string }).kioskCredential;
    assert.ok(credential);
    const availability = await (await fetch(`${server.url}/issuance/centre/v1/availability`)).json() as { open: boolean; message?: string };
    assert.equal(availability.open, true, `the platform clock (MYNA_CLOCK_START) is inside the service hours: ${availability.message ?? ''}`);
    // A holder who can have a 住民票 (a household with a pending 転出 cannot), found with the scripted kiosk itself.
    const refused: string[] = [];
    for (const card of cards) {
      const journal = join(work, 'probe.jsonl');
      const run = await cli('kiosk', 'run', '--card', card.cardId, '--pin', card.pins.auth, '--type', TYPE, '--out', join(work, 'probe.pdf'), '--journal', journal);
      if (run.code !== 0) {
        refused.push(run.stderr.trim());
        continue;
      }
      assert.match(run.stdout, /三鷹市の住民票の写しを1通交付しました（手数料 200円、受付番号 R[0-9A-Z]+）/);
      assert.doesNotMatch(run.stdout, /照合しました/, 'nothing to reconcile in a new journal');
      assert.equal(readFileSync(join(work, 'probe.pdf')).subarray(0, 5).toString('latin1'), '%PDF-', 'the printer wrote the copy');
      assert.deepEqual(readJournalRecords(journal), [], 'a finished journey is compacted away');
      holder = card;
      break;
    }
    assert.ok(holder, `no demo holder can have a 住民票: ${refused.join(' / ')}`);
    totals = await settlementCli();
    assert.deepEqual(totals, await settlement(), 'the CLI prints the operations API\'s statement');
    assert.equal(totals.copies, 1);
  });

  let browser: LaunchedChromium | undefined;
  after(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  /** Kill points of the kiosk, two copies each; what reconciliation must then report. */
  const KILLS: { at: string; printFails?: number[]; expect: Summary; settled: number[]; refunded: Record<number, string>; ordered: boolean }[] = [
    { at: 'session', expect: { orders: 0, copiesConfirmed: 0, copiesRefunded: 0, sessionsEnded: 1 }, settled: [], refunded: {}, ordered: false },
    { at: 'authenticated', expect: { orders: 0, copiesConfirmed: 0, copiesRefunded: 0, sessionsEnded: 1 }, settled: [], refunded: {}, ordered: false },
    { at: 'ordered', expect: { orders: 0, copiesConfirmed: 0, copiesRefunded: 0, sessionsEnded: 1 }, settled: [], refunded: {}, ordered: true },
    { at: 'paid', expect: { orders: 1, copiesConfirmed: 0, copiesRefunded: 2, sessionsEnded: 1 }, settled: [], refunded: { 1: UNPRINTED_AFTER_CRASH, 2: UNPRINTED_AFTER_CRASH }, ordered: true },
    { at: 'document:1', expect: { orders: 1, copiesConfirmed: 0, copiesRefunded: 2, sessionsEnded: 1 }, settled: [], refunded: { 1: UNPRINTED_AFTER_CRASH, 2: UNPRINTED_AFTER_CRASH }, ordered: true },
    { at: 'printed:1', expect: { orders: 1, copiesConfirmed: 1, copiesRefunded: 1, sessionsEnded: 1 }, settled: [1], refunded: { 2: UNPRINTED_AFTER_CRASH }, ordered: true },
    { at: 'document:2', expect: { orders: 1, copiesConfirmed: 1, copiesRefunded: 1, sessionsEnded: 1 }, settled: [1], refunded: { 2: UNPRINTED_AFTER_CRASH }, ordered: true },
    { at: 'printed:2', printFails: [2], expect: { orders: 1, copiesConfirmed: 1, copiesRefunded: 1, sessionsEnded: 1 }, settled: [1], refunded: { 2: '用紙切れ' }, ordered: true },
    { at: 'reporting', expect: { orders: 1, copiesConfirmed: 2, copiesRefunded: 0, sessionsEnded: 1 }, settled: [1, 2], refunded: {}, ordered: true },
    { at: 'answered', expect: { orders: 1, copiesConfirmed: 2, copiesRefunded: 0, sessionsEnded: 1 }, settled: [1, 2], refunded: {}, ordered: true },
    { at: 'confirmed', expect: { orders: 0, copiesConfirmed: 0, copiesRefunded: 0, sessionsEnded: 1 }, settled: [1, 2], refunded: {}, ordered: true },
    { at: 'ended', expect: { orders: 0, copiesConfirmed: 0, copiesRefunded: 0, sessionsEnded: 0 }, settled: [1, 2], refunded: {}, ordered: true },
  ];

  for (const kill of KILLS) {
    test(`kiosk SIGKILLed at ${kill.at}${kill.printFails ? ' (copy 2 failed to print)' : ''}: reconciled once, exactly`, async () => {
      const journal = join(work, `journal-${kill.at.replace(':', '-')}.jsonl`);
      const kiosk = drive({ copies: 2, journal, stopAt: kill.at, ...(kill.printFails ? { printFails: kill.printFails } : {}) });
      const exit = await kiosk.exit;
      assert.equal(exit.signal, 'SIGKILL', `the kiosk died at ${kill.at}: ${kiosk.lines.join(' | ')}\n${kiosk.stderr()}`);
      assert.equal(kiosk.lines.at(-1), `step:${kill.at}`);

      const records = assertJournalClean(journal);
      const journeys = [...foldJournal(records).values()];
      assert.equal(journeys.length, 1);
      const orderId = journeys[0]!.order?.orderId;
      assert.equal(Boolean(orderId), kill.ordered, 'the order id is journaled right after ordering');
      assert.equal(journeys.filter((j) => !entryFinished(j)).length, kill.at === 'ended' ? 0 : 1);
      const fee = journeys[0]!.order?.feePerCopyYen ?? 0;

      assert.deepEqual(pick(await reconcile(journal)), kill.expect, 'the first reconciliation');
      assert.deepEqual(readJournalRecords(journal), [], 'reconciled journeys are compacted away');
      assert.deepEqual(pick(await reconcileInProcess(journal)), { orders: 0, copiesConfirmed: 0, copiesRefunded: 0, sessionsEnded: 0 }, 'the second reconciliation finds nothing');

      const now = await settlement();
      const refunded = Object.keys(kill.refunded).length;
      assert.deepEqual(
        { copies: now.copies - totals.copies, feesYen: now.feesYen - totals.feesYen, refunds: now.refunds - totals.refunds, refundedYen: now.refundedYen - totals.refundedYen },
        { copies: kill.settled.length, feesYen: kill.settled.length * fee, refunds: refunded, refundedYen: refunded * fee },
        'the settlement statement: one row per printed copy, a refund per unprinted copy, nothing twice',
      );
      totals = now;
      if (orderId) expectations.push({ what: kill.at, orderId, status: kill.at === 'ordered' ? 'ready' : 'completed', settled: kill.settled, refunded: kill.refunded });
    });
  }

  test('server SIGKILLed after the payment: the kiosk retries the same steps until it is back, and finishes', async () => {
    const journal = join(work, 'journal-server-after-payment.jsonl');
    const kiosk = drive({ copies: 2, journal, pauseAt: 'paid', attempts: 600, retryDelayMs: 250 });
    await kiosk.waitFor('paused:paid');
    // The journal is locked by the live kiosk: nobody else reconciles (and refunds) its paid order meanwhile.
    const busy = await cli('kiosk', 'reconcile', '--journal', journal);
    assert.equal(busy.code, 2);
    assert.match(busy.stderr, /使用中/);

    await server!.kill();
    kiosk.send('go');
    await kiosk.waitFor('step:retrying:document');
    server = await startServerOnPort(env(), port);
    const exit = await kiosk.exit;
    assert.equal(exit.code, 0, `${kiosk.lines.join(' | ')}\n${kiosk.stderr()}`);
    const done = JSON.parse(kiosk.lines.find((l) => l.startsWith('done:'))!.slice('done:'.length)) as { orderId: string; receiptNo: string };
    assert.deepEqual(readJournalRecords(journal), [], 'a finished journey is compacted away');
    assert.deepEqual(pick(await reconcileInProcess(journal)), { orders: 0, copiesConfirmed: 0, copiesRefunded: 0, sessionsEnded: 0 }, 'nothing left to reconcile');
    await assertSettledSince([2, 0]);
    expectations.push({ what: 'server killed after payment', orderId: done.orderId, status: 'completed', settled: [1, 2], refunded: {} });
  });

  test('server SIGKILLed after printing; the kiosk, killed while retrying the print result, is reconciled with the journaled key', async () => {
    const journal = join(work, 'journal-server-after-printing.jsonl');
    const kiosk = drive({ copies: 2, journal, pauseAt: 'printed:2', stopAt: 'retrying:print-results', attempts: 600, retryDelayMs: 250 });
    await kiosk.waitFor('paused:printed:2');
    await server!.kill();
    kiosk.send('go');
    assert.equal((await kiosk.exit).signal, 'SIGKILL');
    const [entry] = [...foldJournal(assertJournalClean(journal)).values()];
    assert.ok(entry?.report, 'the print result (key and body) was journaled before it was sent');
    assert.deepEqual(entry.report.copies, [{ copy: 1, printed: true }, { copy: 2, printed: true }]);
    journaledReportKey = entry.report.key;

    server = await startServerOnPort(env(), port);
    assert.deepEqual(pick(await reconcile(journal)), { orders: 1, copiesConfirmed: 2, copiesRefunded: 0, sessionsEnded: 1 });
    assert.deepEqual(pick(await reconcileInProcess(journal)), { orders: 0, copiesConfirmed: 0, copiesRefunded: 0, sessionsEnded: 0 });
    await assertSettledSince([2, 0], 'the statement as `issuance settlement` prints it', settlementCli);
    expectations.push({ what: 'server killed after printing', orderId: entry.order!.orderId, status: 'completed', settled: [1, 2], refunded: {} });
  });

  test('kiosk run reconciles its default journal (<data folder>/kiosk/journal.jsonl) before the next resident', async () => {
    const journal = join(dataDir, 'kiosk', 'journal.jsonl');
    const kiosk = drive({ copies: 2, journal, stopAt: 'printed:1' });
    assert.equal((await kiosk.exit).signal, 'SIGKILL');
    const orderId = [...foldJournal(readJournalRecords(journal)).values()][0]!.order!.orderId;
    const run = await cli('kiosk', 'run', '--card', holder!.cardId, '--pin', holder!.pins.auth, '--type', TYPE, '--out', join(work, 'next.pdf'));
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /照合しました: 注文 1 件、印刷済み 1 通（精算）、未印刷 1 通（返金）、受付の終了 1 件。/);
    assert.match(run.stdout, /住民票の写しを1通交付しました/);
    assert.ok(!run.stdout.includes(holder!.pins.auth) && !run.stderr.includes(holder!.pins.auth), 'the PIN is never printed');
    assert.deepEqual(readJournalRecords(journal), []);
    // Whoever receives the copy checks it with `issuance verify`: genuine says what it is, in JST; an altered copy exits 1.
    const verified = await cli('issuance', 'verify', join(work, 'next.pdf'));
    assert.equal(verified.code, 0, verified.stderr);
    assert.match(verified.stdout, /^genuine: 本物です/);
    assert.match(verified.stdout, /種類 住民票の写し {2}発行 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d JST/);
    const altered = readFileSync(join(work, 'next.pdf'));
    altered[Math.floor(altered.length / 3)]! ^= 0x01;
    writeFileSync(join(work, 'altered.pdf'), altered);
    const refused = await cli('issuance', 'verify', join(work, 'altered.pdf'));
    assert.deepEqual([refused.code, /^altered: 改ざんされています/m.test(refused.stdout)], [1, true], refused.stdout);
    await assertSettledSince([2, 1], 'copy 1 of the crashed order and the new copy; copy 2 refunded');
    expectations.push({ what: 'default journal', orderId, status: 'completed', settled: [1], refunded: { 2: UNPRINTED_AFTER_CRASH } });
  });

  // ── the web kiosk (web/kiosk): the same journal in localStorage, reconciled on load ─────────────────

  const JOURNAL_KEY = 'myna-kiosk-print-journal';

  async function kioskPage() {
    if (!browser) {
      execFileSync(process.execPath, ['scripts/build-web.js', 'kiosk'], { cwd: root, stdio: 'pipe' });
      browser = await launchChromium();
    }
    const page = await browser.newPage();
    page.setDefaultTimeout(20_000);
    return page;
  }

  test('the web kiosk, loaded with a crashed journey in its journal (the records a kiosk process left), reconciles it before the first screen', { skip: chromiumMissing() }, async () => {
    const file = join(work, 'journal-web.jsonl');
    assert.equal((await drive({ copies: 2, journal: file, stopAt: 'printed:1' }).exit).signal, 'SIGKILL');
    const records = assertJournalClean(file);
    const orderId = [...foldJournal(records).values()][0]!.order!.orderId;
    const page = await kioskPage();
    try {
      // The journal goes in before the kiosk's first load (same origin, another page of the server).
      await page.goto(`${server!.url}/healthz`);
      await page.evaluate(`localStorage.setItem(${JSON.stringify(JOURNAL_KEY)}, ${JSON.stringify(JSON.stringify(records))})`);
      await page.goto(`${server!.url}/kiosk/`);
      await page.getByRole('heading', { level: 1, name: 'ご利用になるサービスを選んでください' }).waitFor();
      assert.equal(await page.evaluate(`localStorage.getItem(${JSON.stringify(JOURNAL_KEY)})`), '[]', 'reconciled, then compacted away');
    } finally {
      await page.close();
    }
    await assertSettledSince([1, 1], 'copy 1 printed and settled, copy 2 refunded');
    expectations.push({ what: 'web kiosk, journal of a crashed kiosk', orderId, status: 'completed', settled: [1], refunded: { 2: UNPRINTED_AFTER_CRASH } });
  });

  test('the web kiosk reloaded while printing: on load the paid order is reported (the unprinted copy refunded) and the session ended', { skip: chromiumMissing() }, async () => {
    const page = await kioskPage();
    const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name }).waitFor();
    const button = (name: RegExp) => page.getByRole('button', { name }).first().click();
    let orderId = '';
    try {
      // Printing takes ten minutes here: the reload comes after the payment, before any copy is out.
      await page.goto(`${server!.url}/kiosk/?print=600000`);
      await heading('ご利用になるサービスを選んでください');
      await button(/^行政サービス/);
      await button(/^証明書交付/);
      await heading('マイナンバーカードを置いてください');
      await button(new RegExp(`カード ${holder!.serial}`));
      await heading('暗証番号（数字4桁）を入力してください');
      for (const digit of holder!.pins.auth) await page.getByRole('button', { name: `数字 ${digit}` }).click();
      await page.getByRole('button', { name: '確定' }).click();
      await heading(/^(どちらの市区町村の証明書ですか|証明書の種類を選んでください)$/);
      if (await page.getByRole('heading', { level: 1, name: 'どちらの市区町村の証明書ですか' }).count() > 0) await button(/^住所地/);
      await heading('証明書の種類を選んでください');
      await button(/^住民票の写し/);
      await heading(/の記載内容を選んでください$|^部数を選んでください$/);
      if (await page.getByRole('heading', { level: 1, name: /の記載内容を選んでください$/ }).count() > 0) await button(/^次へ/);
      await heading('部数を選んでください');
      await button(/^次へ/);
      await heading('内容と料金を確認してください');
      await button(/^お支払いへ進む/);
      await heading('料金をお支払いください');
      await button(/^1,000円札を入れる/);
      await button(/^支払う/);
      await heading('証明書を印刷しています');

      const text = String(await page.evaluate(`localStorage.getItem(${JSON.stringify(JOURNAL_KEY)})`));
      const journal = JSON.parse(text) as JournalRecord[];
      assert.ok(journal.some((r) => r.type === 'paid'), 'the payment is journaled');
      assert.ok(!journal.some((r) => r.type === 'copy'), 'no copy printed yet');
      for (const record of journal) for (const [field, value] of Object.entries(record)) {
        assert.ok(JOURNAL_FIELDS.has(field) || field === 'owner', `journal field ${field}`);
        assert.notEqual(String(value), holder!.pins.auth, 'no PIN in localStorage');
      }
      assert.ok(!text.includes(credential) && !text.includes(holder!.residentCode) && !text.includes(holder!.resident));
      orderId = (journal.find((r) => r.type === 'ordered') as { orderId: string }).orderId;

      await page.reload();
      await heading('ご利用になるサービスを選んでください');
      assert.equal(await page.evaluate(`localStorage.getItem(${JSON.stringify(JOURNAL_KEY)})`), '[]', 'reconciled, then compacted away');
    } finally {
      await page.close();
    }
    await assertSettledSince([0, 1], 'nothing printed, nothing charged: the copy is refunded');
    expectations.push({ what: 'web kiosk reloaded while printing', orderId, status: 'completed', settled: [], refunded: { 1: UNPRINTED_AFTER_CRASH } });
  });

  test('the centre\'s tables: exactly one settlement row per printed copy, a refund per other copy, no document left, no paid order unreported', async () => {
    assert.ok(expectations.length >= KILLS.filter((k) => k.ordered).length + 3, 'every scenario ran');
    await server!.stop();
    const database = await openDatabase({ kind: 'pglite', dataDir: join(dataDir, 'pglite') });
    try {
      const { db } = database;
      assert.deepEqual(await db.selectFrom('issuance.pending_documents').select(['order_id', 'copy']).execute(), [], 'no document stays at the centre');
      assert.deepEqual(await db.selectFrom('issuance.orders').select('id').where('status', '=', 'paid').execute(), [], 'no paid order without its print result');
      assert.deepEqual(await db.selectFrom('issuance.sessions').select('id').where('status', '!=', 'ended').execute(), [], 'every session ended');
      for (const e of expectations) {
        const order = await db.selectFrom('issuance.orders').select(['status', 'copies', 'fee_per_copy_yen']).where('id', '=', e.orderId).executeTakeFirstOrThrow();
        assert.equal(order.status, e.status, `${e.what}: order status`);
        const settled = await db.selectFrom('issuance.settlement_rows').select(['copy', 'fee_yen']).where('order_id', '=', e.orderId).orderBy('copy').execute();
        assert.deepEqual(settled.map((r) => r.copy), e.settled, `${e.what}: settled copies`);
        const refunds = await db.selectFrom('issuance.refunds').select(['copy', 'reason', 'amount_yen']).where('order_id', '=', e.orderId).orderBy('copy').execute();
        assert.deepEqual(Object.fromEntries(refunds.map((r) => [r.copy, r.reason])), Object.fromEntries(Object.entries(e.refunded)), `${e.what}: refunds`);
        for (const r of refunds) assert.equal(r.amount_yen, order.fee_per_copy_yen);
        if (e.status === 'completed') assert.equal(settled.length + refunds.length, order.copies, `${e.what}: every copy settled or refunded, once`);
      }
      const key = await db.selectFrom('idempotency.keys').select('state').where('key', '=', journaledReportKey).execute();
      assert.deepEqual(key.map((k) => k.state), ['done'], 'the centre got the print result under the key journaled before the crash');
    } finally {
      await database.close();
    }
  });
});
