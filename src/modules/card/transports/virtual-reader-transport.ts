// A transport to a demo card the platform holds, over the virtual card reader API (/card/virtual/v1): for the CLI and other processes.
import type { CardTransport } from './card-transport.ts';
import { errorFromProblem } from '../../../kernel/errors.ts';

/**
 * @example
 * const transport = virtualReaderTransport('http://127.0.0.1:8080', cardId);
 * const client = new CardClient(transport);
 */
export function virtualReaderTransport(baseUrl: string, cardId: string, fetchImpl: typeof fetch = fetch): CardTransport {
  const url = (path: string) => `${baseUrl.replace(/\/$/, '')}/card/virtual/v1/cards/${encodeURIComponent(cardId)}/${path}`;
  async function post(path: string, body?: unknown): Promise<Record<string, string>> {
    const response = await fetchImpl(url(path), {
      method: 'POST',
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const payload = await response.json() as Record<string, string>;
    // The reader's problem+json becomes the same PlatformError the in-process transport would raise.
    if (!response.ok) throw errorFromProblem(payload, { status: response.status, code: 'CARD_RESPONSE_ERROR', title: '仮想カードリーダーのエラー' });
    return payload;
  }
  return {
    description: `virtual card ${cardId} at ${baseUrl}`,
    async transmit(command) {
      const { response } = await post('transmit', { apdu: Buffer.from(command).toString('hex') });
      return new Uint8Array(Buffer.from(response!, 'hex'));
    },
    async reset() {
      const { atr } = await post('reset');
      return new Uint8Array(Buffer.from(atr!, 'hex'));
    },
    close: async () => undefined,
  };
}
