// The browser kiosk's journal in localStorage (the same records as src/modules/issuance/kiosk/kiosk-journal.ts): step keys written before they are sent, what was printed, and start-up reconciliation.
// localStorage is synchronous and survives a reload or a crash of the page; the browser offers no fsync, which is
// durable enough for a kiosk. NOTE: never a PIN, a certificate, a PDF or a name — the records leave no field for them.
import { CentreProblem, newIdempotencyKey, type CentreClient, type PrintResult } from './centre-client.ts';

/** The POST steps whose Idempotency-Key the journal keeps (CentreClient's step names, before the `:`). */
export type JournalStep = 'sessions' | 'authentication' | 'orders' | 'payment' | 'print-results' | 'end';

export type JournalRecord =
  | { type: 'begin'; journey: string; owner: string; at: string }
  | { type: 'key'; journey: string; step: JournalStep; key: string; fingerprint: string; at: string }
  | { type: 'session'; journey: string; sessionId: string; at: string }
  | { type: 'authenticated'; journey: string; at: string }
  | { type: 'ordered'; journey: string; orderId: string; copies: number; feePerCopyYen: number | null; totalYen: number | null; at: string }
  | { type: 'paid'; journey: string; paidYen: number; at: string }
  | ({ type: 'copy'; journey: string; at: string } & PrintResult)
  | { type: 'report'; journey: string; key: string; copies: PrintResult[]; at: string }
  | { type: 'confirmed'; journey: string; receiptNo: string; refundedYen: number; at: string }
  | { type: 'ended'; journey: string; at: string }
  | { type: 'abandoned'; journey: string; reason: string; at: string };

type JournalInput = JournalRecord extends infer R ? R extends JournalRecord ? Omit<R, 'at'> : never : never;

/** One kiosk session and its order, folded from the journal. */
export interface JournalEntry {
  journey: string;
  /** The page that walked it (a page holds a Web Lock under this name while it lives). */
  owner: string | null;
  sessionId: string | null;
  order: { orderId: string; copies: number } | null;
  paid: boolean;
  copies: Map<number, PrintResult>;
  keys: Map<JournalStep, { key: string; fingerprint: string }>;
  report: { key: string; copies: PrintResult[] } | null;
  confirmed: boolean;
  ended: boolean;
  abandoned: boolean;
}

/**
 * Finished: nothing left to do at the centre — abandoned, or the session ended and no payment waits
 * for its print result (a session ended after an unanswered print result still has to be reported).
 */
export function entryFinished(entry: JournalEntry): boolean {
  if (entry.abandoned) return true;
  if (!entry.ended) return false;
  const paymentTried = entry.paid || entry.report !== null || entry.keys.has('payment');
  return entry.order === null || entry.confirmed || !paymentTried;
}

/** What `reconcilePrints` did (the kiosk logs it). */
export interface ReconcileSummary { orders: number; copiesConfirmed: number; copiesRefunded: number; sessionsEnded: number; skipped: number; left: number }

/** The print result of a copy the printer never reported on: the kiosk stopped before. */
export const UNPRINTED_AFTER_CRASH = '端末の異常終了により未印刷';
const STORAGE_KEY = 'myna-kiosk-print-journal';
const LOCK_PREFIX = 'myna-kiosk-page:';
const STEPS = new Set<string>(['sessions', 'authentication', 'orders', 'payment', 'print-results', 'end']);

/** FNV-1a (32 bit) of the body's UTF-8 bytes, in hex: tells a retry from a new request without keeping the body. */
export function bodyFingerprint(body: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(body)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * The journal of this kiosk (one per origin, shared by its tabs). Each page is an owner and holds a
 * Web Lock while it lives, so a page reconciles only journeys whose page is gone.
 *
 * @example
 * const journal = new PrintJournal();
 * const centre = new CentreClient({ credential, keyFor: (step, body) => journal.keyFor(step, body) });
 * await reconcilePrints(journal, centre);
 */
export class PrintJournal {
  readonly owner = newIdempotencyKey();
  readonly #storage: Storage | null;
  /** Only without localStorage (refused): the journal then lives as long as the page. */
  #memory: JournalRecord[] = [];
  /** The journey being walked by this page (its `sessions` step has no id yet). */
  #current: string | null = null;

  constructor(storage: Storage | null = defaultStorage()) {
    this.#storage = storage;
    // Held until the page goes away (closed, reloaded or crashed): other pages then see the journeys as orphaned.
    navigator.locks?.request(`${LOCK_PREFIX}${this.owner}`, () => new Promise<void>(() => undefined)).catch(() => undefined);
  }

  /** Starts a journey (before `POST /sessions`); later steps find it by session or order id. */
  begin(): string {
    const journey = newIdempotencyKey();
    this.#current = journey;
    this.append({ type: 'begin', journey, owner: this.owner });
    return journey;
  }

  /**
   * Appends one record; it is in localStorage when this returns, before the step it announces is sent.
   * Read, append, write in one synchronous run: other tabs of the kiosk write between, never during.
   */
  append(input: JournalInput): void {
    const record = { ...input, at: new Date().toISOString() } as JournalRecord;
    this.#save([...this.#load(), record]);
  }

  /** The journey that has this session (for the steps after `POST /sessions`). */
  journeyOfSession(sessionId: string): JournalEntry | undefined {
    return [...this.entries().values()].find((e) => e.sessionId === sessionId);
  }

  journeyOfOrder(orderId: string): JournalEntry | undefined {
    return [...this.entries().values()].find((e) => e.order?.orderId === orderId);
  }

  /**
   * CentreClient's key for a step (`payment:<orderId>`, `end:<sessionId>`, …): the one journaled for the
   * same body (a retry; for a print result, the journaled report), else a new one, journaled first.
   * A step of no journey (none begun) gets a fresh key.
   */
  keyFor(step: string, body: string): string {
    const [name = '', id = ''] = step.split(/:(.*)/s);
    if (!STEPS.has(name)) return newIdempotencyKey();
    const entry = name === 'sessions' ? (this.#current ? this.entries().get(this.#current) : undefined)
      : name === 'payment' || name === 'print-results' ? this.journeyOfOrder(id) : this.journeyOfSession(id);
    if (!entry) return newIdempotencyKey();
    const fingerprint = bodyFingerprint(body);
    if (name === 'print-results' && entry.report && bodyFingerprint(JSON.stringify({ copies: entry.report.copies })) === fingerprint) return entry.report.key;
    const known = entry.keys.get(name as JournalStep);
    if (known && known.fingerprint === fingerprint) return known.key;
    const key = newIdempotencyKey();
    this.append({ type: 'key', journey: entry.journey, step: name as JournalStep, key, fingerprint });
    return key;
  }

  /** Journals the print result (a new key with its body) before it is sent; a retry, even after a reload, sends exactly this. */
  report(journey: string, copies: PrintResult[]): void {
    this.append({ type: 'report', journey, key: newIdempotencyKey(), copies });
  }

  entries(): Map<string, JournalEntry> {
    const entries = new Map<string, JournalEntry>();
    for (const r of this.#load()) {
      let e = entries.get(r.journey);
      if (!e) {
        e = { journey: r.journey, owner: null, sessionId: null, order: null, paid: false, copies: new Map(), keys: new Map(), report: null, confirmed: false, ended: false, abandoned: false };
        entries.set(r.journey, e);
      }
      switch (r.type) {
        case 'begin': e.owner = r.owner; break;
        case 'key': e.keys.set(r.step, { key: r.key, fingerprint: r.fingerprint }); break;
        case 'session': e.sessionId = r.sessionId; break;
        case 'authenticated': break;
        case 'ordered': e.order = { orderId: r.orderId, copies: r.copies }; break;
        case 'paid': e.paid = true; break;
        case 'copy': e.copies.set(r.copy, r.printed ? { copy: r.copy, printed: true } : { copy: r.copy, printed: false, error: r.error }); break;
        case 'report': e.report = { key: r.key, copies: r.copies }; break;
        case 'confirmed': e.confirmed = true; break;
        case 'ended': e.ended = true; break;
        case 'abandoned': e.abandoned = true; break;
      }
    }
    return entries;
  }

  unfinished(): JournalEntry[] {
    return [...this.entries().values()].filter((e) => !entryFinished(e));
  }

  /** Drops the finished journeys (one synchronous write). */
  compact(): void {
    const keep = new Set(this.unfinished().map((e) => e.journey));
    this.#save(this.#load().filter((r) => keep.has(r.journey)));
  }

  /** Owners whose page is still open (their Web Lock is held). Without Web Locks, none but this page. */
  async liveOwners(): Promise<Set<string>> {
    const live = new Set([this.owner]);
    const state = await navigator.locks?.query().catch(() => undefined);
    for (const lock of state?.held ?? []) if (lock.name?.startsWith(LOCK_PREFIX)) live.add(lock.name.slice(LOCK_PREFIX.length));
    return live;
  }

  #load(): JournalRecord[] {
    if (!this.#storage) return this.#memory;
    const text = this.#storage.getItem(STORAGE_KEY);
    if (!text) return [];
    try {
      const parsed: unknown = JSON.parse(text);
      return Array.isArray(parsed) ? parsed.filter((r): r is JournalRecord => typeof r === 'object' && r !== null && typeof (r as JournalRecord).journey === 'string') : [];
    } catch {
      console.warn('kiosk journal unreadable: started afresh');
      return [];
    }
  }

  #save(records: JournalRecord[]): void {
    if (!this.#storage) {
      this.#memory = records;
      return;
    }
    try {
      this.#storage.setItem(STORAGE_KEY, JSON.stringify(records));
    } catch (error) {
      // Storage full or refused: the kiosk goes on; the centre's unfinished-orders still covers paid orders.
      console.warn('kiosk journal not written', error);
    }
  }
}

function defaultStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/**
 * Start-up reconciliation: for every journey of a page that is gone and every paid order the centre
 * lists without a print result (`GET /unfinished-orders`), sends the print result — copies journaled
 * as printed as printed, every other copy as not printed (端末の異常終了により未印刷, refunded) — then
 * ends the session; finished journeys are compacted away. A second run changes nothing.
 */
export async function reconcilePrints(journal: PrintJournal, centre: CentreClient): Promise<ReconcileSummary> {
  const summary: ReconcileSummary = { orders: 0, copiesConfirmed: 0, copiesRefunded: 0, sessionsEnded: 0, skipped: 0, left: 0 };
  // An order in a live session that this journal does not know may be printing at another kiosk program
  // sharing the credential: it is left until its session lapses (10 minutes).
  const listed = (await centre.unfinishedOrders()).filter((o) => !o.sessionLive || journal.journeyOfOrder(o.orderId));
  const paidAtCentre = new Set(listed.map((o) => o.orderId));
  for (const o of listed) {
    if (journal.journeyOfOrder(o.orderId)) continue;
    // Lost from the journal: adopted, so its print result too is journaled before it is sent.
    const journey = newIdempotencyKey();
    journal.append({ type: 'begin', journey, owner: 'centre' });
    journal.append({ type: 'session', journey, sessionId: o.sessionId });
    journal.append({ type: 'ordered', journey, orderId: o.orderId, copies: o.copies, feePerCopyYen: null, totalYen: null });
  }
  const live = await journal.liveOwners();
  for (const entry of journal.unfinished()) {
    if (entry.owner && entry.owner !== journal.owner && live.has(entry.owner)) {
      summary.skipped++; // another open page is still walking it
      continue;
    }
    try {
      await settle(journal, centre, entry, entry.order !== null && paidAtCentre.has(entry.order.orderId), summary);
    } catch (error) {
      if (!(error instanceof CentreProblem)) throw error; // no answer: the next check tries again
      if (error.code === 'ISSUANCE_SESSION_NOT_FOUND' || error.code === 'ISSUANCE_ORDER_NOT_FOUND') journal.append({ type: 'abandoned', journey: entry.journey, reason: error.code });
      else summary.left++;
    }
  }
  journal.compact();
  return summary;
}

async function settle(journal: PrintJournal, centre: CentreClient, entry: JournalEntry, paidAtCentre: boolean, summary: ReconcileSummary): Promise<void> {
  const { journey, sessionId, order } = entry;
  if (!sessionId) {
    journal.append({ type: 'abandoned', journey, reason: '受付前に終了' });
    return;
  }
  if (order && !entry.confirmed) {
    let copies = entry.report?.copies;
    if (!copies && (entry.paid || paidAtCentre)) {
      copies = Array.from({ length: order.copies }, (_, i): PrintResult => entry.copies.get(i + 1) ?? { copy: i + 1, printed: false, error: UNPRINTED_AFTER_CRASH });
      journal.report(journey, copies);
    }
    if (copies) {
      let receipt;
      try {
        receipt = await centre.printResults(sessionId, order.orderId, copies);
      } catch (error) {
        if (!(error instanceof CentreProblem)) throw error;
        if (error.code === 'KERNEL_IDEMPOTENCY_IN_PROGRESS') {
          // The first try's outcome is unknown at the centre; the print result itself is idempotent: a new key.
          journal.report(journey, copies);
          receipt = await centre.printResults(sessionId, order.orderId, copies);
        } else if (error.code !== 'ISSUANCE_NOT_PAID') {
          throw error;
        }
      }
      if (receipt) {
        journal.append({ type: 'confirmed', journey, receiptNo: receipt.receiptNo, refundedYen: receipt.refundedYen });
        summary.orders++;
        summary.copiesConfirmed += copies.filter((c) => c.printed).length;
        summary.copiesRefunded += copies.filter((c) => !c.printed).length;
      }
    }
  }
  if (!entry.ended) {
    await centre.end(sessionId);
    journal.append({ type: 'ended', journey });
    summary.sessionsEnded++;
  }
  const now = journal.entries().get(journey);
  // A payment was tried but the centre has none (not listed, or ISSUANCE_NOT_PAID): nothing to report.
  if (now && !entryFinished(now)) journal.append({ type: 'abandoned', journey, reason: '支払いなし' });
}
