// PlatformOperations over the running server's /ops/v1 routes (used while the server owns the embedded database).
import type { Readable } from 'node:stream';
import { errorFromProblem, type PlatformError } from '../kernel/errors.ts';
import type { PlatformOperations } from '../platform/platform-operations.ts';
import type { ServerHandover } from '../platform/server-handover.ts';
import { virtualReaderTransport } from '../modules/card/index.ts';

/** Calls the server with the operator token from its hand-over file. */
export function remoteOperations(handover: ServerHandover): PlatformOperations {
  const headers = { authorization: `Bearer ${handover.opsToken}` };

  async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${handover.url}/ops/v1${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const payload = await response.json() as Record<string, unknown>;
    if (!response.ok) throw problemToError(payload);
    return payload as T;
  }

  /** Reads an NDJSON operation stream, forwarding progress, returning the result or throwing the error. */
  async function stream<T>(path: string, init: { body: string | Readable; contentType: string }, onProgress?: (done: number, total: number | undefined) => void): Promise<T> {
    const response = await fetch(`${handover.url}/ops/v1${path}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': init.contentType },
      body: init.body as unknown as string,
      // Node's fetch needs this to send a stream body.
      duplex: 'half',
    } as RequestInit);
    if (!response.ok || !response.body) throw problemToError(await response.json() as Record<string, unknown>);
    const decoder = new TextDecoder();
    let buffered = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffered += decoder.decode(chunk, { stream: true });
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (!line) continue;
        const message = JSON.parse(line) as { progress?: { done: number; total: number | null }; result?: T; error?: Record<string, unknown> };
        if (message.progress) onProgress?.(message.progress.done, message.progress.total ?? undefined);
        if (message.error) throw problemToError(message.error);
        if ('result' in message) return message.result as T;
      }
    }
    throw new Error('サーバーからの応答が途中で切れました / the server closed the stream without a result');
  }

  return {
    migrate: () => json('POST', '/db/migrate'),
    listMunicipalities: () => json('GET', '/municipalities'),
    registerMunicipality: (input) => json('POST', '/municipalities', input),
    createApiKey: (lgCode, staffName) => json('POST', '/api-keys', { lgCode, staffName }),
    seed: ({ onProgress, ...body }) => stream('/seed', { body: JSON.stringify(body), contentType: 'application/json' }, onProgress),
    importCsv: (lgCode, csv, { onProgress, totalHint }) =>
      stream(`/registry/import?lgCode=${encodeURIComponent(lgCode)}${totalHint ? `&total=${totalHint}` : ''}`, { body: csv, contentType: 'text/csv' }, onProgress),
    jpkiInit: (options) => json('POST', '/jpki/init', options),
    jpkiIssue: (input) => json('POST', '/jpki/certificates', input),
    jpkiChangeStatus: (input) => json('POST', '/jpki/certificates/status', input),
    jpkiStatus: (ref) => json('POST', '/jpki/certificates/lookup', ref),
    jpkiCrl: (input) => json('POST', '/jpki/crl', input),
    jpkiAddVerifier: (input) => json('POST', '/jpki/verifiers', input),
    jpkiListVerifiers: () => json('GET', '/jpki/verifiers'),
    jpkiStatement: (input) => json('POST', '/jpki/statements', input),
    verifyAudit: (onProgress) => stream('/audit/verify', { body: '', contentType: 'text/plain' }, onProgress),
    cardList: (input) => json('POST', '/card/list', input),
    cardInfo: (cardId) => json('GET', `/card/cards/${encodeURIComponent(cardId)}`),
    cardChangeStatus: (input) => json('POST', '/card/status', input),
    // The chip stays in the server; APDUs go through its virtual card reader.
    cardTransport: async (cardId) => virtualReaderTransport(handover.url, cardId),
    issuanceSettlement: (input) => json('POST', '/issuance/settlement', input),
    issuanceVerify: (input) => json('POST', '/issuance/verify', input),
    issuanceMaintenance: (input) => json('POST', '/issuance/maintenance', input),
    issuanceMaintenanceList: ({ lgCode }) => json('GET', `/issuance/maintenance${lgCode === null ? '?global=true' : lgCode !== undefined ? `?lgCode=${encodeURIComponent(lgCode)}` : ''}`),
    issuanceMaintenanceEnd: ({ id }) => json('POST', `/issuance/maintenance/${encodeURIComponent(id)}/end`),
    issuanceMaintenanceRemove: ({ id }) => json('DELETE', `/issuance/maintenance/${encodeURIComponent(id)}`),
    issuanceOperatingCharge: (input) => json('POST', '/issuance/operating-charge', input),
  };
}

function problemToError(problem: Record<string, unknown>): PlatformError {
  return errorFromProblem(problem, { status: 500, code: 'KERNEL_INTERNAL_ERROR', title: 'error' });
}
