// The kiosk side of the protocol (docs/issuance.md) over fetch and a card: what `myna-platform kiosk run` and tests drive, step by step like the web kiosk; with a journal, crash-safe and reconciled on restart.
import { randomUUID } from 'node:crypto';
import { errorFromProblem, PlatformError } from '../../../kernel/errors.ts';
import type { Offer } from '../municipal/municipal-server.ts';
import type { Receipt, UnfinishedOrder } from '../centre/centre.ts';
import { entryFinished, newIdempotencyKey, type CopyResult, type JournalEntry, type JournalStep, type KioskJournal } from './kiosk-journal.ts';

/** What the kiosk needs from the card: its user-authentication certificate and a signature over the challenge with the PIN. */
export interface KioskCard {
  authCertificate(): Promise<Uint8Array>;
  /** Signs SHA-256 DigestInfo(challenge) with the user-authentication key after verifying the PIN. */
  signChallenge(challenge: Uint8Array, pin: string): Promise<Uint8Array>;
}

/** The kiosk's printer. `print` rejects when the copy did not come out; its message is reported to the centre (and the copy refunded). */
export interface KioskPrinter {
  print(copy: number, pdf: Uint8Array): Promise<void>;
}

export interface KioskRun {
  municipality: { lgCode: string; name: string };
  offers: Offer[];
  order: { orderId: string; title: string; copies: number; feePerCopyYen: number; totalYen: number };
  /** Each copy's PDF in copy order (empty when the centre could not give it). */
  documents: Uint8Array[];
  /** What the printer reported per copy (as sent to the centre). */
  printed: CopyResult[];
  receipt: Receipt;
}

/**
 * The step a journey has just completed, after the journal has it: `document:N` (copy N received,
 * not printed yet), `printed:N` (the printer's outcome recorded), `reporting` (the print result's key
 * and body journaled, not sent), `answered` (the centre answered it, not journaled yet), `confirmed`,
 * `ended`; and `retrying:<step>` when a request got no answer and goes out again with the same key.
 */
export type KioskStep =
  | 'session' | 'authenticated' | 'ordered' | 'paid' | `document:${number}` | `printed:${number}`
  | 'reporting' | 'answered' | 'confirmed' | 'ended' | `retrying:${string}`;

export interface KioskClientOptions {
  fetch?: typeof fetch;
  /** With a journal every POST step takes its key from it and the journey can be reconciled after a crash. */
  journal?: KioskJournal;
  /** Tries per request that gets no answer at all (default 3), the same Idempotency-Key each time. */
  attempts?: number;
  /** Wait before try n+1: n × this, at most 4 × (default 500 ms). */
  retryDelayMs?: number;
  /** Called at each step boundary (monitoring; the crash tests stop the process here). */
  onStep?: (step: KioskStep) => void | Promise<void>;
}

/** What `reconcile()` did. */
export interface ReconcileSummary {
  /** Orders whose print result was sent (or, already sent, confirmed) now. */
  orders: number;
  /** Copies reported printed (each has its one settlement row). */
  copiesConfirmed: number;
  /** Copies reported not printed (each refunded). */
  copiesRefunded: number;
  /** Sessions ended at the centre. */
  sessionsEnded: number;
  /** Journeys the centre does not know (another centre's, or never opened): dropped from the journal. */
  unknown: number;
  /** Journeys that could not be settled now (kept in the journal for the next start). */
  left: number;
  receipts: { orderId: string; receiptNo: string; refundedYen: number }[];
}

/** The print result of a copy the printer never reported on: the kiosk stopped before. */
export const UNPRINTED_AFTER_CRASH = '端末の異常終了により未印刷';
const MAX_ERROR_LENGTH = 200;

/**
 * @example
 * const kiosk = kioskClient('http://127.0.0.1:8080', credential, { journal: openKioskJournal(path) });
 * await kiosk.reconcile();
 * const run = await kiosk.run(card, { pin: '1234', type: 'juminhyo', copies: 1 });
 */
export function kioskClient(baseUrl: string, credential: string, fetchOrOptions: typeof fetch | KioskClientOptions = {}) {
  const options: KioskClientOptions = typeof fetchOrOptions === 'function' ? { fetch: fetchOrOptions } : fetchOrOptions;
  const fetchImpl = options.fetch ?? fetch;
  const journal = options.journal;
  const attempts = Math.max(1, options.attempts ?? 3);
  const retryDelayMs = options.retryDelayMs ?? 500;
  const onStep = async (step: KioskStep) => { await options.onStep?.(step); };

  async function call(method: 'GET' | 'POST', path: string, request: { body?: unknown; key?: string; label: string }): Promise<Response> {
    const url = `${baseUrl.replace(/\/$/, '')}/issuance/centre/v1${path}`;
    const init: RequestInit = {
      method,
      headers: { authorization: `Bearer ${credential}`, ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(request.key ? { 'idempotency-key': request.key } : {}) },
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
    };
    let response: Response | undefined;
    for (let attempt = 1; !response; attempt++) {
      try {
        response = await fetchImpl(url, init);
      } catch (cause) {
        // No answer: the same key goes out again, so a step the centre did carry out is replayed, not repeated.
        if (attempt >= attempts) throw new Error(`証明書交付センター（${baseUrl}）から応答がありません（${request.label}、${attempts}回試行）`, { cause });
        await onStep(`retrying:${request.label}`);
        await sleep(Math.min(attempt, 4) * retryDelayMs);
      }
    }
    if (!response.ok) {
      const problem = await response.json().catch(() => ({})) as Record<string, string>;
      throw errorFromProblem(problem, { status: response.status, code: 'ISSUANCE_REQUEST_INVALID', title: `HTTP ${response.status}` });
    }
    return response;
  }

  /** A POST step of `journey`: its key from the journal (journaled before it is sent) or, without one, a fresh key. */
  async function post<T>(journey: string, step: JournalStep, path: string, body: unknown, key?: string): Promise<T> {
    const idempotencyKey = key ?? (journal ? journal.keyFor(journey, step, body === undefined ? '' : JSON.stringify(body)) : newIdempotencyKey());
    const response = await call('POST', path, { body, key: idempotencyKey, label: step });
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  async function endSession(journey: string, sessionId: string): Promise<void> {
    await post(journey, 'end', `/sessions/${sessionId}/end`, undefined);
    journal?.append({ type: 'ended', journey });
    await onStep('ended');
  }

  async function sendReport(journey: string, sessionId: string, orderId: string, report: { key: string; copies: CopyResult[] }): Promise<Receipt> {
    const receipt = await post<Receipt>(journey, 'print-results', `/sessions/${sessionId}/orders/${orderId}/print-results`, { copies: report.copies }, report.key);
    await onStep('answered');
    journal?.append({ type: 'confirmed', journey, receiptNo: receipt.receiptNo, refundedYen: receipt.refundedYen });
    await onStep('confirmed');
    return receipt;
  }

  /** Journals the print result's key and body before it is sent, so a retry after a crash sends exactly this. */
  async function prepareReport(journey: string, copies: CopyResult[]): Promise<{ key: string; copies: CopyResult[] }> {
    const report = { key: newIdempotencyKey(), copies };
    journal?.append({ type: 'report', journey, key: report.key, copies });
    await onStep('reporting');
    return report;
  }

  /** One unfinished journey: report the print result if the order was (or may have been) paid, then end the session. */
  async function settle(entry: JournalEntry, paidAtCentre: boolean, summary: ReconcileSummary): Promise<void> {
    const { journey, sessionId, order } = entry;
    if (!sessionId) {
      // The session was never opened (or its answer never arrived): nothing at the centre to settle.
      journal?.append({ type: 'abandoned', journey, reason: '受付前に終了' });
      return;
    }
    if (order && !entry.confirmed) {
      let report = entry.report;
      if (!report && (entry.paid || paidAtCentre)) {
        const copies = Array.from({ length: order.copies }, (_, i): CopyResult => entry.copies.get(i + 1) ?? { copy: i + 1, printed: false, error: UNPRINTED_AFTER_CRASH });
        report = await prepareReport(journey, copies);
      }
      if (report) {
        let receipt: Receipt | undefined;
        try {
          receipt = await sendReport(journey, sessionId, order.orderId, report);
        } catch (error) {
          const code = (error as { code?: string }).code;
          if (code === 'KERNEL_IDEMPOTENCY_IN_PROGRESS') {
            // The first try's outcome is unknown at the centre (it failed or died mid-request). The print
            // result itself is idempotent (one settlement row per copy, a repeat changes nothing): a new key.
            receipt = await sendReport(journey, sessionId, order.orderId, await prepareReport(journey, report.copies));
          } else if (code !== 'ISSUANCE_NOT_PAID') {
            throw error;
          }
        }
        if (receipt) {
          summary.orders++;
          summary.copiesConfirmed += report.copies.filter((c) => c.printed).length;
          summary.copiesRefunded += report.copies.filter((c) => !c.printed).length;
          summary.receipts.push({ orderId: order.orderId, receiptNo: receipt.receiptNo, refundedYen: receipt.refundedYen });
        }
      }
    }
    if (!entry.ended) {
      await endSession(journey, sessionId);
      summary.sessionsEnded++;
    }
    const now = journal?.entry(journey);
    // A payment was tried but the centre has none (not listed, or ISSUANCE_NOT_PAID): nothing to report.
    if (now && !entryFinished(now)) journal!.append({ type: 'abandoned', journey, reason: '支払いなし' });
  }

  /** Paid orders of this kiosk still waiting for a print result (`GET /unfinished-orders`). */
  const unfinishedOrders = async () => (await call('GET', '/unfinished-orders', { label: 'unfinished-orders' })).json() as Promise<UnfinishedOrder[]>;

  return {
    availability: async () => (await call('GET', '/availability', { label: 'availability' })).json() as Promise<{ open: boolean; message?: string; reopensAt?: string }>,

    unfinishedOrders,

    /**
     * The whole journey for one certificate type. Each copy goes to the printer (default: none, every
     * copy counts as printed; `printFails` makes those copies fail with 用紙切れ) and its outcome is
     * journaled before the print result is sent.
     */
    async run(card: KioskCard, input: { pin: string; type: string; target?: 'residence' | 'honseki'; options?: Record<string, unknown>; copies?: number; printFails?: number[]; printer?: KioskPrinter }): Promise<KioskRun> {
      const journey = randomUUID();
      journal?.append({ type: 'begin', journey });
      const session = await post<{ sessionId: string; challenge: string }>(journey, 'sessions', '/sessions', {});
      journal?.append({ type: 'session', journey, sessionId: session.sessionId });
      await onStep('session');
      let confirmed = false;
      try {
        const challenge = new Uint8Array(Buffer.from(session.challenge, 'base64url'));
        const certificate = await card.authCertificate();
        const signature = await card.signChallenge(challenge, input.pin);
        const auth = await post<{ municipality: { lgCode: string; name: string }; offers: Offer[] }>(journey, 'authentication', `/sessions/${session.sessionId}/authentication`, {
          certificate: Buffer.from(certificate).toString('base64'), signature: Buffer.from(signature).toString('base64'),
        });
        journal?.append({ type: 'authenticated', journey });
        await onStep('authenticated');
        const order = await post<KioskRun['order']>(journey, 'orders', `/sessions/${session.sessionId}/orders`, {
          type: input.type, copies: input.copies ?? 1, ...(input.target ? { target: input.target } : {}), ...(input.options ? { options: input.options } : {}),
        });
        journal?.append({ type: 'ordered', journey, orderId: order.orderId, copies: order.copies, feePerCopyYen: order.feePerCopyYen, totalYen: order.totalYen });
        await onStep('ordered');
        const payment = await post<{ paidYen: number }>(journey, 'payment', `/sessions/${session.sessionId}/orders/${order.orderId}/payment`, { method: 'cash', amountYen: order.totalYen });
        journal?.append({ type: 'paid', journey, paidYen: payment.paidYen });
        await onStep('paid');

        const fails = new Set(input.printFails ?? []);
        const documents: Uint8Array[] = [];
        const printed: CopyResult[] = [];
        for (let copy = 1; copy <= order.copies; copy++) {
          let result: CopyResult;
          try {
            const pdf = new Uint8Array(await (await call('GET', `/sessions/${session.sessionId}/orders/${order.orderId}/documents/${copy}`, { label: 'document' })).arrayBuffer());
            documents.push(pdf);
            await onStep(`document:${copy}`);
            if (fails.has(copy)) throw new Error('用紙切れ');
            await input.printer?.print(copy, pdf);
            result = { copy, printed: true };
          } catch (error) {
            if (documents.length < copy) documents.push(new Uint8Array());
            const reason = error instanceof PlatformError ? `証明書を受け取れませんでした（${error.code}）` : error instanceof Error ? error.message : String(error);
            result = { copy, printed: false, error: reason.slice(0, MAX_ERROR_LENGTH) || '印刷できませんでした' };
          }
          // Recorded as soon as the printer reports, before anything else is sent.
          journal?.append({ type: 'copy', journey, ...result });
          printed.push(result);
          await onStep(`printed:${copy}`);
        }
        const receipt = await sendReport(journey, session.sessionId, order.orderId, await prepareReport(journey, printed));
        confirmed = true;
        return { municipality: auth.municipality, offers: auth.offers, order, documents, printed, receipt };
      } finally {
        // Best effort: the centre keeps an unpaid order's documents only until the session ends. After
        // a failed print result the journey stays in the journal and `reconcile` finishes it.
        await endSession(journey, session.sessionId).catch(() => undefined);
        if (confirmed && journal) journal.compact();
      }
    },

    /**
     * Start-up reconciliation after a crash: for every unfinished journey in the journal and every
     * order the centre lists as paid without a print result, sends the print result — copies the
     * journal says were printed as printed, every other copy as failed (端末の異常終了により未印刷),
     * so it is refunded — then ends the session; finished journeys are compacted away. Running it
     * again changes nothing.
     */
    async reconcile(): Promise<ReconcileSummary> {
      const summary: ReconcileSummary = { orders: 0, copiesConfirmed: 0, copiesRefunded: 0, sessionsEnded: 0, unknown: 0, left: 0, receipts: [] };
      const all = await unfinishedOrders();
      // An order in a live session that this journal does not know may be printing at another program
      // sharing the credential: it is left until its session lapses (10 minutes).
      const listed = all.filter((o) => !o.sessionLive || journal?.journeyOfOrder(o.orderId));
      const paidAtCentre = new Set(listed.map((o) => o.orderId));
      let work: JournalEntry[];
      if (journal) {
        // Orders the journal does not know (its record lost, or another journal's) are adopted first, so
        // their print result too is journaled before it is sent.
        for (const o of listed) {
          if (journal.journeyOfOrder(o.orderId)) continue;
          const journey = randomUUID();
          journal.append({ type: 'begin', journey });
          journal.append({ type: 'session', journey, sessionId: o.sessionId });
          journal.append({ type: 'ordered', journey, orderId: o.orderId, copies: o.copies, feePerCopyYen: null, totalYen: null });
        }
        work = journal.unfinished();
      } else {
        work = listed.map((o) => ({
          journey: randomUUID(), sessionId: o.sessionId, authenticated: true, order: { orderId: o.orderId, copies: o.copies, feePerCopyYen: null, totalYen: null },
          paid: true, copies: new Map(), keys: new Map(), report: null, confirmed: null, ended: false, abandoned: null,
        }));
      }
      for (const entry of work) {
        try {
          await settle(entry, entry.order !== null && paidAtCentre.has(entry.order.orderId), summary);
        } catch (error) {
          const code = (error as { code?: string }).code;
          if (code === 'ISSUANCE_KIOSK_UNKNOWN') throw error;
          if (code === 'ISSUANCE_SESSION_NOT_FOUND' || code === 'ISSUANCE_ORDER_NOT_FOUND') {
            // Not this centre's (or not this kiosk's): nothing was charged here.
            journal?.append({ type: 'abandoned', journey: entry.journey, reason: code });
            summary.unknown++;
          } else if (error instanceof PlatformError) {
            summary.left++;
          } else {
            throw error; // no answer from the centre: try again at the next start
          }
        }
      }
      journal?.compact();
      return summary;
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
