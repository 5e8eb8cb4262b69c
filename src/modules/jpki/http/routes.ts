// JPKI's public HTTP routes: CA certificates (open), CRLs and OCSP (registered verifiers only, X-JPKI-Verifier-Key).
import type { FastifyPluginAsync } from 'fastify';
import type { JpkiService } from '../contract.ts';
import { VERIFIER_HEADER } from '../verifiers/authenticate-verifier.ts';
import { jpkiError } from '../errors.ts';

/** An OCSP request is a few hundred bytes; 64 KiB leaves room for 20 CertIDs and a signature. */
const OCSP_BODY_LIMIT = 64 * 1024;
const KINDS = ['sign', 'auth'] as const;
const KIND_TITLE = { sign: '署名用', auth: '利用者証明用' } as const;
const verifierSecurity = [{ verifierKey: [] }];

/** Registered under /jpki. */
export const jpkiRoutes: FastifyPluginAsync<{ jpki: JpkiService }> = async (app, { jpki }) => {
  app.addContentTypeParser('application/ocsp-request', { parseAs: 'buffer', bodyLimit: OCSP_BODY_LIMIT }, (_request, body, done) => done(null, body));

  for (const kind of KINDS) {
    // CA certificates are public: relying parties need them as trust anchors.
    app.get(`/ca/${kind}.cer`, {
      schema: { summary: `${KIND_TITLE[kind]}認証局の証明書（DER、発行中の世代）`, tags: ['jpki'], security: [], produces: ['application/pkix-cert'] },
    }, async (_request, reply) => {
      const ca = await jpki.issuingCa(kind);
      return reply.type('application/pkix-cert').header('content-disposition', `attachment; filename="${kind}.cer"`).send(Buffer.from(ca.certificate));
    });

    app.get<{ Querystring: { generation?: number } }>(`/crl/${kind}.crl`, {
      schema: {
        summary: `${KIND_TITLE[kind]}認証局の CRL（DER）。登録検証者のみ、取得は課金対象`,
        tags: ['jpki'], security: verifierSecurity, produces: ['application/pkix-crl'],
        querystring: { type: 'object', properties: { generation: { type: 'integer', minimum: 1, description: '認証局の世代（既定: 発行中の世代）' } }, additionalProperties: false },
      },
    }, async (request, reply) => {
      const crl = await jpki.downloadCrl(request.headers[VERIFIER_HEADER] as string | undefined, kind, request.query.generation);
      return reply.type('application/pkix-crl')
        .header('content-disposition', `attachment; filename="${kind}.crl"`)
        .header('last-modified', crl.thisUpdate.toUTCString())
        .header('expires', crl.nextUpdate.toUTCString())
        .send(Buffer.from(crl.der));
    });

    const ocspSchema = { summary: `${KIND_TITLE[kind]}電子証明書の OCSP レスポンダ（RFC 6960）。登録検証者のみ、1件ごとに課金`, tags: ['jpki'], security: verifierSecurity, produces: ['application/ocsp-response'] };
    app.post(`/ocsp/${kind}`, { schema: { ...ocspSchema, consumes: ['application/ocsp-request'] } }, async (request, reply) => {
      const body = Buffer.isBuffer(request.body) ? new Uint8Array(request.body) : undefined;
      const der = await jpki.answerOcsp(request.headers[VERIFIER_HEADER] as string | undefined, kind, body);
      return reply.type('application/ocsp-response').send(Buffer.from(der));
    });
    // RFC 6960 §A.1.1: GET {url}/{url-encoding of base-64 encoding of the DER encoding of the OCSPRequest}.
    app.get<{ Params: { '*': string } }>(`/ocsp/${kind}/*`, { schema: ocspSchema }, async (request, reply) => {
      const der = await jpki.answerOcspGet(request.headers[VERIFIER_HEADER] as string | undefined, kind, request.params['*']);
      return reply.type('application/ocsp-response').send(Buffer.from(der));
    });
  }

  app.get('/webhooks/jwks.json', {
    schema: { summary: '失効通知（webhook）の署名検証用公開鍵（JWKS）', tags: ['jpki'], security: [] },
  }, async (_request, reply) => reply.header('cache-control', 'public, max-age=300').send(await jpki.webhookJwks()));

  await app.register(verificationRoutes, { prefix: '/v1', jpki });
};

const base64 = { type: 'string', contentEncoding: 'base64', pattern: '^[A-Za-z0-9+/]*={0,2}$', maxLength: 65536 } as const;

/** Decodes a schema-checked base64 field. */
function bytes(value: string): Uint8Array {
  return new Uint8Array(Buffer.from(value, 'base64'));
}

/** The verification API (/jpki/v1): JSON, for registered verifiers. */
const verificationRoutes: FastifyPluginAsync<{ jpki: JpkiService }> = async (app, { jpki }) => {
  const credential = (headers: Record<string, unknown>) => headers[VERIFIER_HEADER] as string | undefined;

  app.post<{ Body: { certificate: string; signature: string; data?: string; digest?: string; expectedKind?: 'sign' | 'auth'; store?: boolean } }>('/verifications', {
    schema: {
      summary: '署名検証（証明書の連鎖・有効期間・失効・ポリシー・鍵用途と署名）。登録検証者のみ、1件ごとに課金',
      tags: ['jpki'], security: verifierSecurity,
      body: {
        type: 'object', additionalProperties: false, required: ['certificate', 'signature'],
        properties: {
          certificate: { ...base64, description: '署名者の電子証明書（DER、base64）' },
          signature: { ...base64, description: 'PKCS#1 v1.5 / SHA-256 署名（base64）' },
          data: { ...base64, description: '署名対象データ（base64）。digest とどちらか一方' },
          digest: { ...base64, description: '署名対象の SHA-256 ハッシュ値（base64、32バイト）' },
          expectedKind: { type: 'string', enum: ['sign', 'auth'] },
          store: { type: 'boolean', description: '証明書を保存して証明書 ID を返す（現況確認・失効通知用）' },
        },
      },
    },
  }, async (request) => {
    const { certificate, signature, data, digest, expectedKind, store } = request.body;
    if ((data === undefined) === (digest === undefined)) throw jpkiError('JPKI_REQUEST_INVALID', { detail: 'data と digest のどちらか一方を指定してください' });
    const result = await jpki.verifySignature(credential(request.headers), {
      certificate: bytes(certificate), signature: bytes(signature),
      ...(data !== undefined ? { data: bytes(data) } : { digest: bytes(digest!) }),
      ...(expectedKind ? { expectedKind } : {}), ...(store ? { store } : {}),
    });
    return result;
  });

  const certificateParams = { type: 'object', required: ['certificateId'], properties: { certificateId: { type: 'string', format: 'uuid' } } } as const;
  app.get<{ Params: { certificateId: string } }>('/certificates/:certificateId/status', {
    schema: { summary: '現況確認: 保存した署名用電子証明書に変更・失効がないか確認する（課金対象）', tags: ['jpki'], security: verifierSecurity, params: certificateParams },
  }, async (request) => jpki.storedCertificateStatus(credential(request.headers), request.params.certificateId));

  for (const [method, subscribed] of [['PUT', true], ['DELETE', false]] as const) {
    app.route<{ Params: { certificateId: string } }>({
      method, url: '/certificates/:certificateId/subscription',
      schema: { summary: subscribed ? '失効通知（webhook）を受け取る' : '失効通知をやめる', tags: ['jpki'], security: verifierSecurity, params: certificateParams },
      handler: async (request, reply) => {
        await jpki.setSubscription(credential(request.headers), request.params.certificateId, subscribed);
        return reply.status(204).send();
      },
    });
  }
};
