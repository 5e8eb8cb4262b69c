// The kiosk's client of the certificate issuance centre (証明書交付センター), one method per step of docs/issuance.md.
// Every request carries the kiosk credential; every POST an Idempotency-Key that stays the same
// while the same step is retried (after a network failure, or when the resident presses again), and,
// with a journal (print-journal.ts) giving the keys, after a reload of the page too.

export type Target = 'residence' | 'honseki';
export type CertificateType = 'juminhyo' | 'juminhyo_kisai_jiko' | 'inkan' | 'tax' | 'koseki' | 'koseki_fuhyo';
/** One choice's value. NOTE: docs/issuance.md does not type it; whatever the centre offers is sent back as given. */
export type ChoiceValue = string | number | boolean;
/** What the kiosk sends for one option: a value, or several for a `multiple` option. */
export type OptionValue = ChoiceValue | ChoiceValue[];

export interface Availability {
  open: boolean;
  reason?: 'hours' | 'year_end' | 'maintenance';
  /** ISO 8601 instant. */
  reopensAt?: string;
  message?: string;
}
export interface OpenedSession { sessionId: string; challenge: string; expiresAt: string }
export interface Municipality { lgCode: string; name: string }
export interface OptionSpec {
  name: string;
  label: string;
  /** NOTE: not in docs/issuance.md; `multiple` (several values, e.g. household members) is supported when sent. Default `single`. */
  kind?: 'single' | 'multiple';
  choices: { value: ChoiceValue; label: string }[];
  default: OptionValue;
}
export interface Offer {
  type: CertificateType;
  title: string;
  feeYen: number;
  target: Target;
  options: OptionSpec[];
  /** NOTE: not in docs/issuance.md; when false the kiosk shows `unavailableReason` instead of taking the order. */
  available?: boolean;
  unavailableReason?: string;
}
export interface Authentication { municipality: Municipality; honseki: Municipality | null; offers: Offer[] }
export interface OrderRequest { type: CertificateType; target: Target; options: Record<string, OptionValue>; copies: number }
export interface Order { orderId: string; type: CertificateType; title: string; copies: number; feePerCopyYen: number; totalYen: number }
export interface Payment { paidYen: number; changeYen: number }
export type PrintResult = { copy: number; printed: true } | { copy: number; printed: false; error: string };
export interface Receipt {
  receiptNo: string;
  /** NOTE: the protocol does not say whether this is a name or `{ lgCode, name }`; both are shown. */
  municipality: Municipality | string;
  items: { title: string; copies: number; feePerCopyYen: number }[];
  paidYen: number;
  refundedYen: number;
  printedAt: string;
}

/** An answer of the centre that is an error (application/problem+json). */
export class CentreProblem extends Error {
  readonly code: string;
  readonly status: number;
  /** Public title, "日本語 / English" by the platform's convention. */
  readonly title: string;
  readonly detail: string | undefined;
  readonly body: Record<string, unknown>;
  constructor(status: number, body: Record<string, unknown>) {
    const title = typeof body['title'] === 'string' ? body['title'] : `HTTP ${status}`;
    super(title);
    this.name = 'CentreProblem';
    this.status = status;
    this.body = body;
    this.title = title;
    this.code = typeof body['code'] === 'string' ? body['code'] : `HTTP_${status}`;
    this.detail = typeof body['detail'] === 'string' ? body['detail'] : undefined;
  }
}

/** No answer at all (the network or the centre is unreachable), after the retries. */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('network failure', { cause });
    this.name = 'NetworkError';
  }
}

export interface CentreClientOptions {
  credential: string;
  /** Default `/issuance/centre/v1` on the kiosk's own origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Attempts per request when there is no answer (default 3), spaced by `retryDelayMs` × attempt. */
  attempts?: number;
  retryDelayMs?: number;
  timeoutMs?: number;
  /**
   * The Idempotency-Key of a step (`payment:<orderId>`, …) with its body: a journal that keeps keys
   * across reloads (PrintJournal.keyFor). Default: kept in memory until the step is settled.
   */
  keyFor?: (step: string, body: string) => string;
}

/**
 * @example
 * const centre = new CentreClient({ credential: config.kioskCredential });
 * const { sessionId, challenge } = await centre.openSession();
 */
export class CentreClient {
  readonly #options: Required<Omit<CentreClientOptions, 'fetch' | 'keyFor'>> & Pick<CentreClientOptions, 'keyFor'> & { fetch: typeof fetch };
  /** The key of each step not settled yet (no answer, or a 5xx), with the body it was sent with. */
  readonly #pending = new Map<string, { key: string; body: string }>();

  constructor(options: CentreClientOptions) {
    this.#options = {
      baseUrl: '/issuance/centre/v1', attempts: 3, retryDelayMs: 400, timeoutMs: 20_000,
      ...options,
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    };
  }

  availability(): Promise<Availability> {
    return this.#request('GET', '/availability');
  }

  openSession(): Promise<OpenedSession> {
    return this.#request('POST', '/sessions', { step: 'sessions', body: {} });
  }

  /** `certificate` (DER) and `signature` (raw) in base64. */
  authenticate(sessionId: string, body: { certificate: string; signature: string }): Promise<Authentication> {
    return this.#request('POST', `/sessions/${enc(sessionId)}/authentication`, { step: `authentication:${sessionId}`, body });
  }

  order(sessionId: string, body: OrderRequest): Promise<Order> {
    return this.#request('POST', `/sessions/${enc(sessionId)}/orders`, { step: `orders:${sessionId}`, body });
  }

  pay(sessionId: string, orderId: string, amountYen: number): Promise<Payment> {
    return this.#request('POST', `/sessions/${enc(sessionId)}/orders/${enc(orderId)}/payment`, { step: `payment:${orderId}`, body: { method: 'cash', amountYen } });
  }

  /** One copy's PDF (only after payment). */
  document(sessionId: string, orderId: string, copy: number): Promise<Blob> {
    return this.#request('GET', `/sessions/${enc(sessionId)}/orders/${enc(orderId)}/documents/${copy}`, { blob: true });
  }

  async printResults(sessionId: string, orderId: string, copies: PrintResult[]): Promise<Receipt> {
    const answer = await this.#request<{ receipt: Receipt } | Receipt>('POST', `/sessions/${enc(sessionId)}/orders/${enc(orderId)}/print-results`, { step: `print-results:${orderId}`, body: { copies } });
    // docs/issuance.md: `{ receipt }`; a bare receipt is accepted too.
    return 'receipt' in answer ? answer.receipt : answer;
  }

  async end(sessionId: string): Promise<void> {
    await this.#request('POST', `/sessions/${enc(sessionId)}/end`, { step: `end:${sessionId}`, body: {} });
  }

  /** Paid orders of this kiosk without a print result (a kiosk reconciles them on start). */
  unfinishedOrders(): Promise<{ sessionId: string; orderId: string; copies: number; sessionLive: boolean }[]> {
    return this.#request('GET', '/unfinished-orders');
  }

  /** Forgets the keys of unsettled steps: called when a kiosk session is over. */
  forgetKeys(): void {
    this.#pending.clear();
  }

  async #request<T>(method: 'GET' | 'POST', path: string, options: { step?: string; body?: unknown; blob?: boolean } = {}): Promise<T> {
    const { fetch: fetchImpl, baseUrl, credential, attempts, retryDelayMs, timeoutMs } = this.#options;
    const headers: Record<string, string> = { authorization: `Bearer ${credential}`, accept: options.blob ? 'application/pdf, application/problem+json' : 'application/json' };
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    const step = options.step;
    if (step) headers['idempotency-key'] = this.#options.keyFor ? this.#options.keyFor(step, body ?? '') : this.#keyFor(step, body ?? '');

    let response: Response | undefined;
    for (let attempt = 1; !response; attempt++) {
      try {
        response = await fetchImpl(`${baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }), signal: AbortSignal.timeout(timeoutMs) });
      } catch (cause) {
        // No answer: the same key goes out again, so a step the centre did carry out is replayed, not repeated.
        if (attempt >= attempts) throw new NetworkError(cause);
        await sleep(retryDelayMs * attempt);
      }
    }
    // Any 2xx or 4xx settles the step (a refused request frees its key at the centre); a 5xx keeps the key.
    if (step && response.status < 500) this.#pending.delete(step);
    if (!response.ok) throw new CentreProblem(response.status, await problemBody(response));
    if (response.status === 204) return undefined as T;
    return (options.blob ? await response.blob() : await response.json()) as T;
  }

  #keyFor(step: string, body: string): string {
    const pending = this.#pending.get(step);
    if (pending && pending.body === body) return pending.key;
    const key = newIdempotencyKey();
    this.#pending.set(step, { key, body });
    return key;
  }
}

/** 8–128 of `A–Z a–z 0–9 - _ : .` (docs/errors.md); getRandomValues works outside secure contexts too. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `kiosk-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

async function problemBody(response: Response): Promise<Record<string, unknown>> {
  try {
    const parsed: unknown = await response.json();
    return parsed !== null && typeof parsed === 'object' ? parsed as Record<string, unknown> : {};
  } catch {
    return {};
  }
}

const enc = encodeURIComponent;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
