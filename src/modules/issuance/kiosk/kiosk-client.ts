// The kiosk side of the protocol (docs/issuance.md) over fetch and a card: what `myna-platform kiosk run` and tests drive, step by step like the web kiosk.
import { randomUUID } from 'node:crypto';
import { errorFromProblem } from '../../../kernel/errors.ts';
import type { Offer } from '../municipal/municipal-server.ts';
import type { Receipt } from '../centre/centre.ts';

/** What the kiosk needs from the card: its user-authentication certificate and a signature over the challenge with the PIN. */
export interface KioskCard {
  authCertificate(): Promise<Uint8Array>;
  /** Signs SHA-256 DigestInfo(challenge) with the user-authentication key after verifying the PIN. */
  signChallenge(challenge: Uint8Array, pin: string): Promise<Uint8Array>;
}

export interface KioskRun {
  municipality: { lgCode: string; name: string };
  offers: Offer[];
  order: { orderId: string; title: string; copies: number; feePerCopyYen: number; totalYen: number };
  documents: Uint8Array[];
  receipt: Receipt;
}

/**
 * @example
 * const kiosk = kioskClient('http://127.0.0.1:8080', credential);
 * const run = await kiosk.run(card, { pin: '1234', type: 'juminhyo', copies: 1 });
 */
export function kioskClient(baseUrl: string, credential: string, fetchImpl: typeof fetch = fetch) {
  async function call(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<Response> {
    const response = await fetchImpl(`${baseUrl.replace(/\/$/, '')}/issuance/centre/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${credential}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) {
      const problem = await response.json() as Record<string, string>;
      throw errorFromProblem(problem, { status: response.status, code: 'ISSUANCE_REQUEST_INVALID', title: 'error' });
    }
    return response;
  }
  const json = async <T>(method: string, path: string, body?: unknown) => (await (await call(method, path, body, method === 'POST' ? randomUUID() : undefined)).json()) as T;

  return {
    availability: () => json<{ open: boolean; message?: string; reopensAt?: string }>('GET', '/availability'),
    /** The whole journey for one certificate type, printing every copy successfully. */
    async run(card: KioskCard, input: { pin: string; type: string; target?: 'residence' | 'honseki'; options?: Record<string, unknown>; copies?: number; printFails?: number[] }): Promise<KioskRun> {
      const session = await json<{ sessionId: string; challenge: string }>('POST', '/sessions', {});
      try {
        const challenge = new Uint8Array(Buffer.from(session.challenge, 'base64url'));
        const certificate = await card.authCertificate();
        const signature = await card.signChallenge(challenge, input.pin);
        const auth = await json<{ municipality: { lgCode: string; name: string }; offers: Offer[] }>('POST', `/sessions/${session.sessionId}/authentication`, {
          certificate: Buffer.from(certificate).toString('base64'), signature: Buffer.from(signature).toString('base64'),
        });
        const order = await json<KioskRun['order']>('POST', `/sessions/${session.sessionId}/orders`, {
          type: input.type, copies: input.copies ?? 1, ...(input.target ? { target: input.target } : {}), ...(input.options ? { options: input.options } : {}),
        });
        await json('POST', `/sessions/${session.sessionId}/orders/${order.orderId}/payment`, { method: 'cash', amountYen: order.totalYen });
        const documents: Uint8Array[] = [];
        for (let copy = 1; copy <= order.copies; copy++) {
          documents.push(new Uint8Array(await (await call('GET', `/sessions/${session.sessionId}/orders/${order.orderId}/documents/${copy}`)).arrayBuffer()));
        }
        const fails = new Set(input.printFails ?? []);
        const receipt = await json<Receipt>('POST', `/sessions/${session.sessionId}/orders/${order.orderId}/print-results`, {
          copies: documents.map((_, i) => (fails.has(i + 1) ? { copy: i + 1, printed: false, error: '用紙切れ' } : { copy: i + 1, printed: true })),
        });
        return { municipality: auth.municipality, offers: auth.offers, order, documents, receipt };
      } finally {
        await call('POST', `/sessions/${session.sessionId}/end`, undefined, randomUUID()).catch(() => undefined);
      }
    },
  };
}
