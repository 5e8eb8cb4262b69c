// What the kiosk does at each step of docs/issuance.md: calls the centre and the card, then dispatches
// the result to the reducer (state.ts). Screens call these; none of them talks HTTP or APDUs itself.
// Every step is journaled (print-journal.ts) before it is sent; on load the kiosk reconciles what a
// crashed page left unfinished before it shows the first screen.
import type { Dispatch } from 'react';
import { CentreClient, CentreProblem, NetworkError, type Availability, type PrintResult, type Target } from './centre-client.ts';
import { CardError, InsecureContextError, JpkiCard } from './jpki-card.ts';
import { ReaderError, VirtualCardReader } from './virtual-card.ts';
import { inSession, previousScreen, type Action, type KioskState } from './state.ts';
import type { KioskOptions } from './kiosk-options.ts';
import type { MessageKey, Notice } from './messages.ts';
import type { Offer, OptionValue } from './centre-client.ts';
import { entryFinished, PrintJournal, reconcilePrints } from './print-journal.ts';

/** `GET /kiosk/config.json`: served by the platform (demo) or the store operator. */
export interface KioskConfig { kioskCredential: string; operatorName: string; centreUrl?: string; cardReaderUrl?: string }

/** Centre errors the resident can recover from on the same screen (choose again, insert more, press again). */
const RECOVERABLE = new Set([
  'ISSUANCE_RULE_REFUSED', 'ISSUANCE_TYPE_NOT_OFFERED', 'ISSUANCE_COPIES_INVALID', 'ISSUANCE_OPTIONS_INVALID', 'ISSUANCE_PAYMENT_INSUFFICIENT', 'KERNEL_IDEMPOTENCY_IN_PROGRESS',
]);

export type Flow = ReturnType<typeof createFlow>;

export function createFlow({ options, dispatch, getState }: { options: KioskOptions; dispatch: Dispatch<Action>; getState: () => KioskState }) {
  let centre: CentreClient | null = null;
  let reader = new VirtualCardReader();
  let card: JpkiCard | null = null;
  let certificate: Uint8Array | null = null;
  const journal = new PrintJournal();
  /** The journey (journal) of the session under way. */
  let journey: string | null = null;
  let reconciling: Promise<void> | null = null;
  /** The last reconciliation failed or left something: the start screen's next check tries again. */
  let reconcilePending = false;

  const needCentre = (): CentreClient => {
    if (!centre) throw new Error('the kiosk is not configured');
    return centre;
  };
  const needSession = () => {
    const { session } = getState();
    if (!session) throw new Error('no session');
    return session;
  };

  /** Runs one step with its waiting message; a failure becomes a notice, the closed screen or the fatal screen. */
  async function step(busy: MessageKey, work: () => Promise<void>): Promise<void> {
    dispatch({ type: 'busy', busy });
    try {
      await work();
    } catch (error) {
      fail(error);
    } finally {
      dispatch({ type: 'busy', busy: null });
    }
  }

  function fail(error: unknown): void {
    const state = getState();
    if (error instanceof NetworkError) return dispatch({ type: 'notice', notice: { key: 'network' } });
    if (error instanceof CentreProblem) {
      // The kiosk's own words for the code (messages.ts centreErrors), else the centre's title.
      const notice: Notice = { title: error.title, detail: error.detail, code: error.code };
      if (error.code === 'ISSUANCE_SERVICE_CLOSED') {
        const closed = closedFrom(error);
        // Maintenance of the resident's municipality (at authentication): this session cannot go on.
        if (state.session) return dispatch({ type: 'fatal', notice: { title: closed.message ?? error.title } });
        // No session could open: the out-of-hours screen, then with the centre's own answer.
        dispatch({ type: 'availability', availability: closed });
        return void checkAvailability();
      }
      if (RECOVERABLE.has(error.code) || error.status >= 500) return dispatch({ type: 'notice', notice });
      return dispatch({ type: 'fatal', notice });
    }
    if (error instanceof InsecureContextError) return dispatch({ type: 'fatal', notice: { key: 'insecure' } });
    if (error instanceof CardError || error instanceof ReaderError) {
      const notice: Notice = error instanceof ReaderError ? { title: error.title } : { key: 'cardUnreadable' };
      // Before the PIN the resident can place the card again; later the session cannot go on.
      return dispatch(state.screen === 'card' ? { type: 'notice', notice } : { type: 'fatal', notice });
    }
    console.error(error);
    dispatch({ type: 'fatal', notice: { key: 'unexpected' } });
  }

  async function closeCard(): Promise<void> {
    const open = card;
    card = null;
    certificate = null;
    await open?.end().catch(() => undefined);
  }

  /** POST end (best effort: the centre ends idle sessions itself), reset the card, drop the PDFs. */
  async function endSession(): Promise<void> {
    const { session, documents } = getState();
    if (session && centre) {
      const ended = await centre.end(session.sessionId).then(() => true, () => false);
      if (ended && journey) journal.append({ type: 'ended', journey });
      // Not ended (no answer), or paid without an answered print result: the journey stays in the
      // journal and the next check on the start screen settles it.
      const entry = journey ? journal.entries().get(journey) : undefined;
      if (entry && !entryFinished(entry)) reconcilePending = true;
      if (ended) journal.compact();
    }
    journey = null;
    centre?.forgetKeys();
    await closeCard();
    for (const { url } of documents) URL.revokeObjectURL(url);
  }

  /** Loads config.json, then asks whether the service is open. */
  async function boot(): Promise<void> {
    try {
      const response = await fetch(`${import.meta.env.BASE_URL}config.json`, { cache: 'no-store' });
      if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
      const config = await response.json() as KioskConfig;
      if (!config.kioskCredential) throw new Error('config.json has no kioskCredential');
      centre = new CentreClient({
        credential: config.kioskCredential, ...(config.centreUrl ? { baseUrl: config.centreUrl } : {}),
        keyFor: (step, body) => journal.keyFor(step, body),
      });
      if (config.cardReaderUrl) reader = new VirtualCardReader(config.cardReaderUrl);
      dispatch({ type: 'configured', operatorName: config.operatorName ?? '' });
    } catch (error) {
      console.error(error);
      return dispatch({ type: 'unavailable', notice: { key: 'configMissing' } });
    }
    // Before the first screen: what a crashed page left (paid orders, printed copies) is settled first.
    await reconcile();
    await checkAvailability();
  }

  /** Print results and session ends a crashed page left unsent (print-journal.ts); never throws. */
  function reconcile(): Promise<void> {
    const client = centre;
    if (!client) return Promise.resolve();
    reconciling ??= (async () => {
      try {
        const summary = await reconcilePrints(journal, client);
        reconcilePending = summary.left > 0;
        if (summary.orders + summary.sessionsEnded > 0) console.info('kiosk: reconciled after a restart', summary);
      } catch (error) {
        reconcilePending = true;
        console.warn('kiosk: reconciliation failed; the next check tries again', error);
      } finally {
        reconciling = null;
      }
    })();
    return reconciling;
  }

  async function checkAvailability(): Promise<void> {
    // Out of service for want of config.json: the next poll tries again.
    if (!centre) return boot();
    if (reconcilePending && journey === null && !inSession(getState())) await reconcile();
    try {
      dispatch({ type: 'availability', availability: await centre.availability() });
    } catch (error) {
      // On the start screen a failed poll changes nothing; at boot the kiosk is out of service until it answers.
      if (getState().screen === 'loading' || getState().screen === 'unavailable') {
        dispatch({ type: 'unavailable', notice: error instanceof CentreProblem ? { title: error.title } : { key: 'network' } });
      }
    }
  }

  async function printAll(): Promise<void> {
    const { order, session } = getState();
    if (!order || !session) return;
    const results: PrintResult[] = [];
    for (let copy = 1; copy <= order.copies; copy++) {
      try {
        const pdf = await needCentre().document(session.sessionId, order.orderId, copy);
        await sleep(options.printMs); // the printer (simulated)
        results.push({ copy, printed: true });
        if (journey) journal.append({ type: 'copy', journey, copy, printed: true });
        dispatch({ type: 'printed', copy, url: URL.createObjectURL(pdf) });
      } catch (error) {
        const failed = { copy, printed: false as const, error: error instanceof CentreProblem ? error.code : 'DOCUMENT_UNAVAILABLE' };
        results.push(failed);
        if (journey) journal.append({ type: 'copy', journey, ...failed });
        dispatch({ type: 'printed', copy, url: null });
      }
    }
    // The print result's key and body, journaled before it is sent: after a crash the same goes out.
    if (journey) journal.report(journey, results);
    dispatch({ type: 'printFinished', results });
    await sendPrintResults();
  }

  async function sendPrintResults(): Promise<void> {
    const { order, session, printing } = getState();
    if (!order || !session || !printing?.results) return;
    dispatch({ type: 'printResultsSending', sending: true });
    dispatch({ type: 'notice', notice: null });
    try {
      const receipt = await needCentre().printResults(session.sessionId, order.orderId, printing.results);
      if (journey) journal.append({ type: 'confirmed', journey, receiptNo: receipt.receiptNo, refundedYen: receipt.refundedYen });
      dispatch({ type: 'receipt', receipt });
    } catch (error) {
      fail(error);
    } finally {
      dispatch({ type: 'printResultsSending', sending: false });
    }
  }

  return {
    boot,
    checkAvailability,

    language(): void {
      dispatch({ type: 'language', lang: getState().lang === 'ja' ? 'en' : 'ja' });
    },

    chooseAdministrative: () => dispatch({ type: 'go', screen: 'services' }),

    /** 証明書交付: opens a session at the centre, then lists the demo cards. */
    startIssuance: () => step('openingSession', async () => {
      const begun = journal.begin();
      journey = begun;
      const session = await needCentre().openSession().catch((error: unknown) => {
        // No session: nothing at the centre to settle later.
        journal.append({ type: 'abandoned', journey: begun, reason: '受付を開始できません' });
        journey = null;
        throw error;
      });
      journal.append({ type: 'session', journey: begun, sessionId: session.sessionId });
      dispatch({ type: 'sessionOpened', session });
      dispatch({ type: 'cardsListed', cards: await reader.listCards() });
    }),

    /** The resident placed a card: reset, select the JPKI AP, read the certificate, see whether the PIN is locked. */
    placeCard: (cardId: string) => step('readingCard', async () => {
      await closeCard();
      const placed = new JpkiCard(reader.connect(cardId));
      await placed.start();
      card = placed;
      certificate = await placed.readAuthCertificate();
      dispatch({ type: 'cardPlaced', triesLeft: await placed.authPinTriesLeft() });
    }),

    /** VERIFY, then the card signs the challenge, then the centre checks certificate and signature. */
    enterPin: (pin: string) => step('checkingPin', async () => {
      if (!card || !certificate) throw new CardError(0, 'no card');
      const check = await card.verifyAuthPin(pin);
      if (!check.ok) return dispatch({ type: 'pinRejected', triesLeft: check.triesLeft });
      dispatch({ type: 'busy', busy: 'authenticating' });
      const session = needSession();
      const signature = await card.signAuth(fromBase64Url(session.challenge));
      const authentication = await needCentre().authenticate(session.sessionId, { certificate: toBase64(certificate), signature: toBase64(signature) });
      if (journey) journal.append({ type: 'authenticated', journey });
      dispatch({ type: 'authenticated', authentication });
    }),

    /** Shows why a choice is not possible (e.g. the municipality's reason for refusing a certificate). */
    explain: (notice: Notice) => dispatch({ type: 'notice', notice }),
    chooseTarget: (target: Target) => dispatch({ type: 'targetChosen', target }),
    chooseOffer: (offer: Offer) => dispatch({ type: 'offerChosen', offer }),
    setOption: (name: string, value: OptionValue) => dispatch({ type: 'optionSet', name, value }),
    optionsDone: () => dispatch({ type: 'optionsDone' }),
    setCopies: (copies: number) => dispatch({ type: 'copiesSet', copies }),

    /** The order goes to the centre before the fee is shown, so the fee on screen is the centre's. */
    placeOrder: () => step('placingOrder', async () => {
      const { offer, target, options: chosen, copies } = getState();
      if (!offer) return;
      const order = await needCentre().order(needSession().sessionId, { type: offer.type, target, options: chosen, copies });
      if (journey) journal.append({ type: 'ordered', journey, orderId: order.orderId, copies: order.copies, feePerCopyYen: order.feePerCopyYen, totalYen: order.totalYen });
      dispatch({ type: 'ordered', order });
    }),

    toPayment: () => dispatch({ type: 'toPayment' }),
    insert: (yen: number) => dispatch({ type: 'inserted', yen }),

    pay: async (): Promise<void> => {
      const { order, insertedYen } = getState();
      if (!order || insertedYen < order.totalYen) return;
      let paid = false;
      await step('paying', async () => {
        const payment = await needCentre().pay(needSession().sessionId, order.orderId, insertedYen);
        if (journey) journal.append({ type: 'paid', journey, paidYen: payment.paidYen });
        dispatch({ type: 'paid', payment });
        paid = true;
      });
      if (paid) await printAll();
    },

    sendPrintResults,
    took: () => dispatch({ type: 'took' }),

    /** 終了: ends the session and goes back to the start. */
    finish: () => leave(null),

    /** 中止: the same, giving back money inserted but not paid. */
    cancel,

    /** No input for the idle time: end everything and remind the resident of the card. */
    timeout: async (): Promise<void> => {
      const { insertedYen, payment } = getState();
      await endSession();
      dispatch({ type: 'timedOut', notice: insertedYen > 0 && !payment ? { key: 'returned', args: [insertedYen] } : null });
    },

    /** Back (the button or Escape). */
    back(): void {
      const to = previousScreen(getState());
      if (to === 'cancel') void cancel();
      else if (to) dispatch({ type: 'back', to });
    },
  };

  function cancel(): Promise<void> {
    const { insertedYen, payment } = getState();
    return leave(insertedYen > 0 && !payment ? { key: 'returned', args: [insertedYen] } : null);
  }

  /** Ends the session and goes back to the start, showing `notice` there. */
  async function leave(notice: Notice | null): Promise<void> {
    dispatch({ type: 'busy', busy: 'ending' });
    await endSession();
    dispatch({ type: 'busy', busy: null });
    dispatch({ type: 'reset', notice });
    void checkAvailability();
  }
}

/**
 * `ISSUANCE_SERVICE_CLOSED` carries `reopensAt` and the message (docs/issuance.md step 1). NOTE: the
 * protocol does not say where in the problem document; top-level members are read, else `detail`
 * when it is an instant and `title` as the message.
 */
function closedFrom(problem: CentreProblem): Availability {
  const { reopensAt, message, reason } = problem.body;
  const detailIsInstant = problem.detail !== undefined && /^\d{4}-\d{2}-\d{2}T/.test(problem.detail);
  const reopens = typeof reopensAt === 'string' ? reopensAt : detailIsInstant ? problem.detail : undefined;
  return {
    open: false,
    ...(typeof reason === 'string' ? { reason: reason as Availability['reason'] } : {}),
    ...(reopens ? { reopensAt: reopens } : {}),
    message: typeof message === 'string' ? message : detailIsInstant ? problem.title : problem.detail ?? problem.title,
  };
}

function fromBase64Url(text: string): Uint8Array {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
