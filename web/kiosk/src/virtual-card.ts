// The demo card reader: the platform's virtual card reader API (/card/virtual/v1) holds demo cards'
// chips; "placing a card" is choosing one, and APDUs go over HTTP. Implements jpki-card.ts's CardTransport.
import type { CardTransport } from './jpki-card.ts';

/** A demo card as `GET /card/virtual/v1/cards` lists it. */
export interface DemoCard { id: string; serial: string; lgCode: string; expiresOn: string }

/** The virtual reader refused (problem+json), e.g. CARD_NOT_FOUND or CARD_VIRTUAL_READER_DISABLED. */
export class ReaderError extends Error {
  constructor(readonly code: string, readonly title: string) {
    super(title);
    this.name = 'ReaderError';
  }
}

/**
 * @example
 * const reader = new VirtualCardReader();
 * const [first] = await reader.listCards();
 * const card = new JpkiCard(reader.connect(first.id));
 */
export class VirtualCardReader {
  readonly #baseUrl: string;
  readonly #fetch: typeof fetch;

  constructor(baseUrl = '/card/virtual/v1', fetchImpl: typeof fetch = (input, init) => fetch(input, init)) {
    this.#baseUrl = baseUrl.replace(/\/$/, '');
    this.#fetch = fetchImpl;
  }

  listCards(): Promise<DemoCard[]> {
    return this.#call<DemoCard[]>('GET', '/cards');
  }

  /** The transport to one demo card, as if it had been placed on the reader. */
  connect(cardId: string): CardTransport {
    const path = `/cards/${encodeURIComponent(cardId)}`;
    return {
      description: `virtual card ${cardId}`,
      transmit: async (command) => {
        const { response } = await this.#call<{ response: string }>('POST', `${path}/transmit`, { apdu: toHex(command) });
        return fromHex(response);
      },
      reset: async () => {
        await this.#call('POST', `${path}/reset`);
      },
    };
  }

  async #call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await this.#fetch(`${this.#baseUrl}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const payload = await response.json().catch(() => ({})) as Record<string, unknown>;
    if (!response.ok) throw new ReaderError(String(payload['code'] ?? `HTTP_${response.status}`), String(payload['title'] ?? `HTTP ${response.status}`));
    return payload as T;
  }
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
}

export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, '');
  const bytes = new Uint8Array(clean.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}
