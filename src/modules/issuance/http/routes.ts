// The issuance HTTP APIs: the centre for kiosks (/issuance/centre/v1), each municipality's certificate server (/issuance/municipal/v1/{lgCode}), and public verification (/issuance/v1).
import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { kernelError } from '../../../kernel/errors.ts';
import { bearerToken, staffApiKey } from '../../../kernel/http-credentials.ts';
import type { RegistryService } from '../../registry/index.ts';
import type { Centre } from '../centre/centre.ts';
import type { MunicipalServer } from '../municipal/municipal-server.ts';
import { issuanceError } from '../errors.ts';
import { CERTIFICATE_KINDS, type CertificateKind } from '../documents/certificate-document.ts';

const bearer = (request: FastifyRequest) => bearerToken(request.headers);
const Kind = Type.Union(CERTIFICATE_KINDS.map((k) => Type.Literal(k)));
const SessionParams = Type.Object({ sessionId: Type.String({ maxLength: 64 }) });
const OrderParams = Type.Object({ sessionId: Type.String({ maxLength: 64 }), orderId: Type.String({ maxLength: 64 }) });
const tags = ['issuance centre (kiosks)'];

/**
 * Kiosk ↔ centre (docs/issuance.md). Kiosks authenticate with their credential; each POST may
 * carry an Idempotency-Key (the kernel's idempotency hooks replay the first answer).
 */
export const centreRoutes: FastifyPluginAsyncTypebox<{ centre: Centre }> = async (app, { centre }) => {
  const kioskSecurity = [{ kioskCredential: [] }];
  app.get('/availability', { schema: { tags, summary: 'サービスの提供時間内か', security: [] } }, async () => centre.availability());
  app.post('/sessions', { schema: { tags, summary: '受付の開始（ワンタイムチャレンジ）', security: kioskSecurity } }, async (request, reply) =>
    reply.status(201).send(await centre.openSession(bearer(request))));
  app.post('/sessions/:sessionId/authentication', {
    schema: { tags, summary: 'カードの認証（利用者証明用電子証明書と署名）', security: kioskSecurity, params: SessionParams,
      body: Type.Object({ certificate: Type.String({ maxLength: 8000 }), signature: Type.String({ maxLength: 1000 }) }, { additionalProperties: false }) },
  }, async (request) => centre.authenticate(bearer(request), request.params.sessionId, {
    certificate: new Uint8Array(Buffer.from(request.body.certificate, 'base64')), signature: new Uint8Array(Buffer.from(request.body.signature, 'base64')),
  }));
  app.post('/sessions/:sessionId/orders', {
    schema: { tags, summary: '証明書の注文', security: kioskSecurity, params: SessionParams,
      body: Type.Object({ type: Kind, target: Type.Optional(Type.Union([Type.Literal('residence'), Type.Literal('honseki')])), options: Type.Optional(Type.Record(Type.String(), Type.Unknown())), copies: Type.Integer() }, { additionalProperties: false }) },
  }, async (request, reply) => {
    const { type, target, options, copies } = request.body;
    return reply.status(201).send(await centre.placeOrder(bearer(request), request.params.sessionId, { type: type as CertificateKind, copies, ...(target ? { target } : {}), ...(options ? { options } : {}) }));
  });
  app.post('/sessions/:sessionId/orders/:orderId/payment', {
    schema: { tags, summary: '支払い（現金）', security: kioskSecurity, params: OrderParams, body: Type.Object({ method: Type.Literal('cash'), amountYen: Type.Integer() }, { additionalProperties: false }) },
  }, async (request) => centre.pay(bearer(request), request.params.sessionId, request.params.orderId, request.body));
  app.get('/sessions/:sessionId/orders/:orderId/documents/:copy', {
    schema: { tags, summary: '印刷する証明書（PDF）', security: kioskSecurity, params: Type.Object({ sessionId: Type.String({ maxLength: 64 }), orderId: Type.String({ maxLength: 64 }), copy: Type.Integer({ minimum: 1, maximum: 10 }) }) },
  }, async (request, reply) => reply.type('application/pdf').send(Buffer.from(await centre.document(bearer(request), request.params.sessionId, request.params.orderId, request.params.copy))));
  app.post('/sessions/:sessionId/orders/:orderId/print-results', {
    schema: { tags, summary: '印刷結果の報告（精算・返金）', security: kioskSecurity, params: OrderParams,
      body: Type.Object({ copies: Type.Array(Type.Object({ copy: Type.Integer(), printed: Type.Boolean(), error: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }), { minItems: 1, maxItems: 10 }) }, { additionalProperties: false }) },
  }, async (request) => centre.printResults(bearer(request), request.params.sessionId, request.params.orderId, request.body));
  app.post('/sessions/:sessionId/end', { schema: { tags, summary: '受付の終了', security: kioskSecurity, params: SessionParams } }, async (request, reply) => {
    await centre.endSession(bearer(request), request.params.sessionId);
    return reply.status(204).send();
  });
  app.get('/unfinished-orders', { schema: { tags, summary: '印刷結果が未報告の注文（再起動後の照合）', security: kioskSecurity } }, async (request) => centre.unfinishedOrders(bearer(request)));
};

/**
 * A municipality's certificate server. The centre calls /offers and /documents with its credential;
 * municipal staff configure the offers with their API key (PUT /offers).
 */
export const municipalRoutes: FastifyPluginAsyncTypebox<{ municipal: MunicipalServer; registry: RegistryService; centreToken(): Promise<string> }> = async (app, { municipal, registry, centreToken }) => {
  const mtags = ['issuance municipal certificate server'];
  const LgParams = Type.Object({ lgCode: Type.String({ pattern: '^[0-9]{6}$' }) });
  const requireCentre = async (request: FastifyRequest) => {
    const given = Buffer.from(bearer(request) ?? '');
    const expected = Buffer.from(await centreToken());
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw issuanceError('ISSUANCE_CENTRE_UNAUTHORISED');
  };
  const Honseki = Type.Optional(Type.Object({ honseki: Type.String({ maxLength: 200 }), hittosha: Type.String({ maxLength: 100 }) }));
  app.post('/:lgCode/offers', {
    schema: { tags: mtags, summary: '取扱証明書と手数料（本人に応じた可否）', params: LgParams, body: Type.Object({ residentCode: Type.String({ pattern: '^[0-9]{11}$' }), target: Type.Union([Type.Literal('residence'), Type.Literal('honseki')]), honseki: Honseki }, { additionalProperties: false }) },
  }, async (request) => {
    await requireCentre(request);
    return municipal.offers(request.params.lgCode, request.body);
  });
  app.post('/:lgCode/documents', {
    schema: { tags: mtags, summary: '証明書の発行（署名付きPDF）', params: LgParams,
      body: Type.Object({ orderId: Type.String({ format: 'uuid' }), residentCode: Type.String({ pattern: '^[0-9]{11}$' }), type: Kind, options: Type.Record(Type.String(), Type.Unknown()), copies: Type.Integer(), honseki: Honseki }, { additionalProperties: false }) },
  }, async (request) => {
    await requireCentre(request);
    const issued = await municipal.issue(request.params.lgCode, { ...request.body, type: request.body.type as CertificateKind });
    return { ...issued, documents: issued.documents.map((d) => ({ copy: d.copy, serialNumber: d.serialNumber, pdfBase64: Buffer.from(d.pdf).toString('base64') })) };
  });
  app.put('/:lgCode/offers', {
    schema: { tags: mtags, summary: '取扱証明書と手数料の設定（職員）', params: LgParams,
      body: Type.Object({ koseki: Type.Optional(Type.Boolean()), offers: Type.Array(Type.Object({ type: Kind, feeYen: Type.Integer({ minimum: 0, maximum: 10000 }) }, { additionalProperties: false }), { maxItems: 6 }) }, { additionalProperties: false }) },
  }, async (request, reply) => {
    const key = staffApiKey(request.headers);
    if (!key) throw kernelError('KERNEL_AUTH_REQUIRED');
    const staff = await registry.authenticate(key);
    if (staff.lgCode !== request.params.lgCode) throw issuanceError('ISSUANCE_CENTRE_UNAUTHORISED', { message: '他の市区町村の設定は変更できません' });
    await municipal.configureOffers(staff, request.body.offers.map((o) => ({ type: o.type as CertificateKind, feeYen: o.feeYen })), request.body.koseki === undefined ? {} : { koseki: request.body.koseki });
    return reply.status(204).send();
  });
};

/** Public verification of a printed certificate's PDF: no credential (a bank, an employer). */
export const verificationRoutes: FastifyPluginAsyncTypebox<{ verify(pdf: Uint8Array): Promise<unknown>; trust(): Promise<{ caCertificate: Uint8Array; payloadJwks: unknown }> }> = async (app, { verify, trust }) => {
  const vtags = ['issuance verification'];
  app.addContentTypeParser('application/pdf', { parseAs: 'buffer', bodyLimit: 10 * 1024 * 1024 }, (_request, body, done) => done(null, body));
  app.post('/verifications', { schema: { tags: vtags, summary: '証明書PDFの真正性の確認（genuine / altered / unknown）', security: [], consumes: ['application/pdf'] } }, async (request) => {
    if (!Buffer.isBuffer(request.body)) throw issuanceError('ISSUANCE_REQUEST_INVALID', { detail: 'PDF を Content-Type: application/pdf で送ってください' });
    return verify(new Uint8Array(request.body));
  });
  app.get('/document-ca.cer', { schema: { tags: vtags, summary: '証明書PDFの署名を発行した認証局の証明書（DER）', security: [] } }, async (_request, reply) =>
    reply.type('application/pkix-cert').send(Buffer.from((await trust()).caCertificate)));
  app.get('/jwks.json', { schema: { tags: vtags, summary: 'QRコードの検証用公開鍵（JWKS）', security: [] } }, async () => (await trust()).payloadJwks);
};
