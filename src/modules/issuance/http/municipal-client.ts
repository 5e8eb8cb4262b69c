// The centre's HTTP client for municipal certificate servers: the only way the centre reaches a municipality (DESIGN §3).
import { errorFromProblem } from '../../../kernel/errors.ts';
import { issuanceError } from '../errors.ts';
import type { MunicipalServerClient } from '../centre/centre.ts';

/**
 * @param fetchImpl `fetch`, or the same server's in-memory HTTP (app.inject) in a one-process deployment.
 * @param baseUrl where the municipal servers answer, e.g. `http://127.0.0.1:8080`.
 * @param token the centre's credential, which every municipal server accepts.
 */
export function httpMunicipalClient(fetchImpl: typeof fetch, baseUrl: string, token: () => Promise<string>): MunicipalServerClient {
  async function call<T>(lgCode: string, path: string, body: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetchImpl(`${baseUrl}/issuance/municipal/v1/${encodeURIComponent(lgCode)}${path}`, {
        method: 'POST', headers: { authorization: `Bearer ${await token()}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
      });
    } catch (cause) {
      throw issuanceError('ISSUANCE_MUNICIPAL_SERVER_FAILED', { cause });
    }
    const payload = await response.json().catch(() => ({})) as Record<string, any>;
    if (!response.ok) {
      // The municipality's refusal (rules, types, options) goes to the kiosk unchanged; anything else — a failure, or the
      // municipality refusing the centre's own credential, which the resident can do nothing about — is a server failure.
      if (typeof payload.code === 'string' && payload.code.startsWith('ISSUANCE_') && payload.code !== 'ISSUANCE_CENTRE_UNAUTHORISED' && response.status < 500) {
        throw errorFromProblem(payload, { status: response.status, code: payload.code, title: payload.title });
      }
      throw issuanceError('ISSUANCE_MUNICIPAL_SERVER_FAILED', { detail: `${response.status} ${payload.code ?? ''}` });
    }
    return payload as T;
  }
  return {
    offers: (lgCode, request) => call(lgCode, '/offers', request),
    async issue(lgCode, request) {
      const answer = await call<{ title: string; feePerCopyYen: number; documents: { copy: number; serialNumber: string; pdfBase64: string }[] }>(lgCode, '/documents', request);
      return { ...answer, documents: answer.documents.map((d) => ({ copy: d.copy, serialNumber: d.serialNumber, pdf: new Uint8Array(Buffer.from(d.pdfBase64, 'base64')) })) };
    },
  };
}
