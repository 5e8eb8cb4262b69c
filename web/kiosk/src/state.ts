// The kiosk's state and its reducer: which screen is up and what the resident has chosen so far.
// Pure: the calls to the centre and the card live in flow.ts, which dispatches these actions.
import type { Authentication, Availability, Offer, OpenedSession, OptionValue, Order, Payment, PrintResult, Receipt, Target } from './centre-client.ts';
import type { DemoCard } from './virtual-card.ts';
import type { Lang, MessageKey, Notice } from './messages.ts';

export type Screen =
  | 'loading' | 'closed' | 'unavailable'
  | 'home' | 'services'
  | 'card' | 'pin' | 'locked'
  | 'municipality' | 'type' | 'options' | 'copies' | 'confirm'
  | 'payment' | 'printing' | 'take' | 'receipt'
  | 'fatal' | 'timedOut';

export interface Printing {
  total: number;
  done: number;
  /** Set once every copy was tried; kept to send again if print-results got no answer. */
  results: PrintResult[] | null;
  sending: boolean;
}

export interface KioskState {
  lang: Lang;
  screen: Screen;
  operatorName: string;
  /** Waiting for the card or the centre: the message shown instead of the screen. */
  busy: MessageKey | null;
  /** A problem or hint shown on the current screen (errors are announced). */
  notice: Notice | null;
  availability: Availability | null;
  session: OpenedSession | null;
  cards: DemoCard[] | null;
  pinTriesLeft: number | null;
  authentication: Authentication | null;
  target: Target;
  offer: Offer | null;
  options: Record<string, OptionValue>;
  copies: number;
  order: Order | null;
  insertedYen: number;
  payment: Payment | null;
  printing: Printing | null;
  /** Object URLs of the printed PDFs (demo: links on the receipt screen). */
  documents: { copy: number; url: string }[];
  receipt: Receipt | null;
}

export const initialState: KioskState = {
  lang: 'ja', screen: 'loading', operatorName: '', busy: null, notice: null, availability: null,
  session: null, cards: null, pinTriesLeft: null, authentication: null, target: 'residence', offer: null,
  options: {}, copies: 1, order: null, insertedYen: 0, payment: null, printing: null, documents: [], receipt: null,
};

export type Action =
  | { type: 'language'; lang: Lang }
  | { type: 'configured'; operatorName: string }
  | { type: 'unavailable'; notice: Notice }
  | { type: 'availability'; availability: Availability }
  | { type: 'go'; screen: 'services' | 'home' }
  | { type: 'busy'; busy: MessageKey | null }
  | { type: 'notice'; notice: Notice | null }
  | { type: 'sessionOpened'; session: OpenedSession }
  | { type: 'cardsListed'; cards: DemoCard[] }
  | { type: 'cardPlaced'; triesLeft: number | null }
  | { type: 'pinRejected'; triesLeft: number }
  | { type: 'authenticated'; authentication: Authentication }
  | { type: 'targetChosen'; target: Target }
  | { type: 'offerChosen'; offer: Offer }
  | { type: 'optionSet'; name: string; value: OptionValue }
  | { type: 'optionsDone' }
  | { type: 'copiesSet'; copies: number }
  | { type: 'ordered'; order: Order }
  | { type: 'toPayment' }
  | { type: 'inserted'; yen: number }
  | { type: 'paid'; payment: Payment }
  | { type: 'printed'; copy: number; url: string | null }
  | { type: 'printFinished'; results: PrintResult[] }
  | { type: 'printResultsSending'; sending: boolean }
  | { type: 'receipt'; receipt: Receipt }
  | { type: 'took' }
  | { type: 'back'; to: Screen }
  | { type: 'fatal'; notice: Notice }
  | { type: 'reset'; notice?: Notice | null }
  | { type: 'timedOut'; notice: Notice | null };

export const MIN_COPIES = 1;
export const MAX_COPIES = 10;

/** The screens of one resident's session: the idle timeout and the card reminder apply. */
export function inSession(state: KioskState): boolean {
  return !['loading', 'closed', 'unavailable', 'home', 'services', 'timedOut'].includes(state.screen);
}

/** The offers for the chosen municipality (住所地 or 本籍地). */
export function offersFor(state: KioskState): Offer[] {
  return state.authentication?.offers.filter((offer) => offer.target === state.target) ?? [];
}

/**
 * Where Back (the button, or Escape) leads from here: a screen, `'cancel'` (end the session), or
 * null (no way back: after authentication the choice of municipality is the first screen, after
 * payment there is no going back).
 */
export function previousScreen(state: KioskState): Screen | 'cancel' | null {
  if (state.busy) return null;
  switch (state.screen) {
    case 'services': return 'home';
    case 'card': return 'cancel';
    case 'pin': return 'card';
    case 'type': return state.authentication?.honseki ? 'municipality' : null;
    case 'options': return 'type';
    case 'copies': return state.offer?.options.length ? 'options' : 'type';
    case 'confirm': return 'copies';
    case 'payment': return 'confirm';
    default: return null;
  }
}

/** Whether 中止 (cancel) is offered: from the card until payment. */
export function cancellable(state: KioskState): boolean {
  return ['card', 'pin', 'municipality', 'type', 'options', 'copies', 'confirm', 'payment'].includes(state.screen) && !state.busy;
}

/** Everything of one resident's session, forgotten. */
function cleared(state: KioskState): KioskState {
  return { ...initialState, lang: state.lang, operatorName: state.operatorName, availability: state.availability };
}

export function reducer(state: KioskState, action: Action): KioskState {
  switch (action.type) {
    case 'language': return { ...state, lang: action.lang };
    case 'configured': return { ...state, operatorName: action.operatorName };
    case 'unavailable': return { ...cleared(state), screen: 'unavailable', notice: action.notice };
    case 'availability': {
      const { availability } = action;
      if (!availability.open) return inSession(state) ? { ...state, availability } : { ...cleared(state), availability, screen: 'closed' };
      const reopened = ['loading', 'closed', 'unavailable'].includes(state.screen);
      return reopened ? { ...cleared(state), availability, screen: 'home' } : { ...state, availability };
    }
    case 'go': return { ...state, screen: action.screen, notice: null };
    case 'busy': return { ...state, busy: action.busy };
    case 'notice': return { ...state, notice: action.notice };
    case 'sessionOpened': return { ...cleared(state), session: action.session, screen: 'card' };
    case 'cardsListed': return { ...state, cards: action.cards };
    case 'cardPlaced':
      return action.triesLeft === 0
        ? { ...state, pinTriesLeft: 0, screen: 'locked', notice: null }
        : { ...state, pinTriesLeft: action.triesLeft, screen: 'pin', notice: null };
    case 'pinRejected':
      return action.triesLeft === 0
        ? { ...state, pinTriesLeft: 0, screen: 'locked', notice: null }
        : { ...state, pinTriesLeft: action.triesLeft, notice: { key: 'pinWrong', args: [action.triesLeft] } };
    case 'authenticated': {
      const { authentication } = action;
      return { ...state, authentication, target: 'residence', notice: null, screen: authentication.honseki ? 'municipality' : 'type' };
    }
    case 'targetChosen': return { ...state, target: action.target, screen: 'type', notice: null };
    case 'offerChosen': {
      const { offer } = action;
      const options = Object.fromEntries(offer.options.map((spec) => [spec.name, spec.default]));
      const same = state.offer?.type === offer.type && state.offer.target === offer.target;
      return { ...state, offer, options: same ? state.options : options, copies: same ? state.copies : 1, order: null, notice: null, screen: offer.options.length ? 'options' : 'copies' };
    }
    case 'optionSet': return { ...state, options: { ...state.options, [action.name]: action.value } };
    case 'optionsDone': return { ...state, screen: 'copies', notice: null };
    case 'copiesSet': return { ...state, copies: Math.min(MAX_COPIES, Math.max(MIN_COPIES, action.copies)) };
    case 'ordered': return { ...state, order: action.order, screen: 'confirm', notice: null };
    case 'toPayment': return { ...state, screen: 'payment', insertedYen: 0, notice: null };
    case 'inserted': return { ...state, insertedYen: state.insertedYen + action.yen, notice: null };
    case 'paid': {
      const total = state.order?.copies ?? 0;
      return { ...state, payment: action.payment, screen: 'printing', notice: null, printing: { total, done: 0, results: null, sending: false } };
    }
    case 'printed': {
      if (!state.printing) return state;
      const documents = action.url ? [...state.documents, { copy: action.copy, url: action.url }] : state.documents;
      return { ...state, documents, printing: { ...state.printing, done: state.printing.done + 1 } };
    }
    case 'printFinished': return state.printing ? { ...state, printing: { ...state.printing, results: action.results } } : state;
    case 'printResultsSending': return state.printing ? { ...state, printing: { ...state.printing, sending: action.sending } } : state;
    case 'receipt': return { ...state, receipt: action.receipt, screen: 'take', notice: null };
    case 'took': return { ...state, screen: 'receipt', notice: null };
    case 'back': return backTo(state, action.to);
    case 'fatal': return { ...state, screen: 'fatal', notice: action.notice, busy: null };
    case 'reset': return { ...cleared(state), screen: 'home', notice: action.notice ?? null };
    case 'timedOut': return { ...cleared(state), screen: 'timedOut', notice: action.notice };
  }
}

function backTo(state: KioskState, to: Screen): KioskState {
  const next = { ...state, screen: to, notice: null };
  // Leaving the payment returns the inserted money; leaving the fee confirmation drops the order.
  if (state.screen === 'payment' && state.insertedYen > 0) return { ...next, insertedYen: 0, notice: { key: 'returned', args: [state.insertedYen] } };
  if (state.screen === 'confirm') return { ...next, order: null };
  if (state.screen === 'pin') return { ...next, pinTriesLeft: null };
  return next;
}
