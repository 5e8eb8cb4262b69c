// The relying-party SDK: a typed client of JPKI's verifier services over HTTP (fetch, or Fastify's inject in one process).
import type { CaKind, StoredCertificateStatus, VerificationRequest, VerificationResult } from '../contract.ts';
import { errorFromProblem } from '../../../kernel/errors.ts';

/** What the client needs: where JPKI is, the verifier's credential, and optionally a fetch (tests, inject adapters). */
export interface VerifierClientOptions {
  /** e.g. `http://127.0.0.1:8080/jpki`. */
  baseUrl: string;
  credential: string;
  fetch?: typeof fetch;
}

/** A signature to verify: over data, or over its SHA-256 digest (the API's request, as bytes). */
export type SignatureToVerify = VerificationRequest;

export interface VerifierClient {
  /** Verifies a signature and its certificate; `store: true` returns a certificate ID. */
  verify(input: SignatureToVerify): Promise<VerificationResult>;
  /** 現況確認 of a stored certificate. */
  status(certificateId: string): Promise<StoredCertificateStatus>;
  /** Revocation push on/off for a stored certificate. */
  subscribe(certificateId: string): Promise<void>;
  unsubscribe(certificateId: string): Promise<void>;
  /** The CA certificate (DER) of the issuing generation: the trust anchor. */
  caCertificate(kind: CaKind): Promise<Uint8Array>;
  /** The current CRL (DER). */
  crl(kind: CaKind): Promise<Uint8Array>;
  /** Sends a DER OCSPRequest; returns the DER OCSPResponse. */
  ocsp(kind: CaKind, request: Uint8Array): Promise<Uint8Array>;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/**
 * @example
 * const jpki = createVerifierClient({ baseUrl: 'http://127.0.0.1:8080/jpki', credential: process.env.JPKI_CREDENTIAL! });
 * const result = await jpki.verify({ certificate, signature, data: challenge, expectedKind: 'auth' });
 * if (result.valid) login(result.userId);
 */
export function createVerifierClient(options: VerifierClientOptions): VerifierClient {
  const fetchFn = options.fetch ?? fetch;
  const base = options.baseUrl.replace(/\/+$/, '');
  const auth = { 'x-jpki-verifier-key': options.credential };

  async function call(method: string, path: string, init: { json?: unknown; body?: Uint8Array; contentType?: string } = {}): Promise<Response> {
    const headers: Record<string, string> = { ...auth };
    let body: string | Uint8Array | undefined;
    if (init.json !== undefined) { headers['content-type'] = 'application/json'; body = JSON.stringify(init.json); }
    if (init.body !== undefined) { headers['content-type'] = init.contentType!; body = init.body; }
    const response = await fetchFn(`${base}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({})) as Record<string, unknown>;
      throw errorFromProblem(problem, { status: response.status, code: 'JPKI_REQUEST_INVALID', title: response.statusText });
    }
    return response;
  }
  const binary = async (response: Response) => new Uint8Array(await response.arrayBuffer());

  return {
    async verify(input) {
      const json = {
        certificate: b64(input.certificate), signature: b64(input.signature),
        ...('data' in input ? { data: b64(input.data) } : { digest: b64(input.digest) }),
        ...(input.expectedKind ? { expectedKind: input.expectedKind } : {}), ...(input.store ? { store: true } : {}),
      };
      const result = await (await call('POST', '/v1/verifications', { json })).json() as VerificationResult & { notAfter?: string };
      return result.valid ? { ...result, notAfter: new Date(result.notAfter as unknown as string) } : result;
    },
    async status(certificateId) {
      const status = await (await call('GET', `/v1/certificates/${encodeURIComponent(certificateId)}/status`)).json() as StoredCertificateStatus & { since?: string };
      return { ...status, ...(status.since ? { since: new Date(status.since) } : {}) };
    },
    async subscribe(certificateId) { await call('PUT', `/v1/certificates/${encodeURIComponent(certificateId)}/subscription`); },
    async unsubscribe(certificateId) { await call('DELETE', `/v1/certificates/${encodeURIComponent(certificateId)}/subscription`); },
    async caCertificate(kind) { return binary(await call('GET', `/ca/${kind}.cer`)); },
    async crl(kind) { return binary(await call('GET', `/crl/${kind}.crl`)); },
    async ocsp(kind, request) { return binary(await call('POST', `/ocsp/${kind}`, { body: request, contentType: 'application/ocsp-request' })); },
  };
}
