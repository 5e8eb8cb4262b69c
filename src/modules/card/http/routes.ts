// The card API: municipal counters (/card/v1: applications, hand-over, 券面記載事項変更, hotline) and the demo virtual card reader (/card/virtual/v1).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { kernelError } from '../../../kernel/errors.ts';
import { staffApiKey } from '../../../kernel/http-credentials.ts';
import type { RegistryService, StaffPrincipal } from '../../registry/index.ts';
import type { CardService } from '../contract.ts';
import { cardError } from '../errors.ts';
import { FreeAreaBody, ApduBody, ApplicationRecord, ApplyBody, AttributeUpdateBody, BatchBody, CardRecord, HandOverBody, InvalidateBody, ReportBody, Uuid } from './schemas.ts';

const IdParams = Type.Object({ id: Uuid });
const tags = ['card'];

const photoOf = (photo: { base64: string; type: 'image/jpeg' | 'image/png' }) => ({ bytes: new Uint8Array(Buffer.from(photo.base64, 'base64')), type: photo.type });

/**
 * Counter routes: every route needs a staff API key of the card's municipality. The hotline
 * routes act for the J-LIS call centre (staff keys stand in for its operators here).
 *
 * @example
 * await app.register(cardRoutes, { prefix: '/card/v1', card, registry });
 */
export const cardRoutes: FastifyPluginAsyncTypebox<{ card: CardService; registry: RegistryService }> = async (app, { card, registry }) => {
  const staffOf = new WeakMap<FastifyRequest, StaffPrincipal>();
  app.addHook('onRequest', async (request) => {
    const key = staffApiKey(request.headers);
    if (!key) throw kernelError('KERNEL_AUTH_REQUIRED', { detail: 'Authorization: Bearer <APIキー> または X-API-Key ヘッダーを指定してください' });
    staffOf.set(request, await registry.authenticate(key));
  });
  const staff = (request: FastifyRequest) => staffOf.get(request)!;
  /** A card of the caller's municipality, or CARD_NOT_FOUND (other municipalities' cards are invisible). */
  const ownCard = async (request: FastifyRequest, id: string) => {
    const found = await card.getCard(id);
    if (found.lgCode !== staff(request).lgCode) throw cardError('CARD_NOT_FOUND');
    return found;
  };

  app.post('/applications', { schema: { tags, summary: '交付申請の受付', body: ApplyBody, response: { 201: ApplicationRecord } } }, async (request, reply) => {
    const { photo, ...rest } = request.body;
    return reply.status(201).send(await card.apply(staff(request), { ...rest, channel: rest.channel as 'mail', photo: photoOf(photo) }));
  });
  app.post('/applications/batch', { schema: { tags, summary: '企業一括申請', body: BatchBody, response: { 201: Type.Array(ApplicationRecord) } } }, async (request, reply) => {
    const { employer, place, applications } = request.body;
    return reply.status(201).send(await card.applyBatch(staff(request), {
      employer, ...(place ? { place } : {}), applications: applications.map((a) => ({ ...a, photo: photoOf(a.photo) })),
    }));
  });
  app.get('/applications', { schema: { tags, summary: '交付申請の一覧', querystring: Type.Object({ status: Type.Optional(Type.String()), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }), response: { 200: Type.Array(ApplicationRecord) } } },
    async (request) => card.listApplications(staff(request).lgCode, request.query as { status?: 'received'; limit?: number }));
  app.get('/applications/:id', { schema: { tags, summary: '交付申請', params: IdParams, response: { 200: ApplicationRecord } } },
    async (request) => card.getApplication(staff(request).lgCode, request.params.id));
  app.post('/applications/:id/production', { schema: { tags, summary: 'カードの作成（J-LIS）: ICチップで鍵ペアを生成し電子証明書と券面事項を書き込む', params: IdParams, response: { 201: CardRecord } } }, async (request, reply) => {
    await card.getApplication(staff(request).lgCode, request.params.id);
    return reply.status(201).send(await card.produce(request.params.id));
  });

  app.get('/cards', { schema: { tags, summary: 'カードの一覧', querystring: Type.Object({ residentCode: Type.Optional(Type.String({ pattern: '^[0-9]{11}$' })), status: Type.Optional(Type.String()), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }), response: { 200: Type.Array(CardRecord) } } },
    async (request) => card.listCards({ ...(request.query as object), lgCode: staff(request).lgCode }));
  app.get('/cards/:id', { schema: { tags, summary: 'カード', params: IdParams, response: { 200: CardRecord } } }, async (request) => ownCard(request, request.params.id));
  app.get('/cards/:id/history', { schema: { tags, summary: 'カードの履歴', params: IdParams } }, async (request) => {
    await ownCard(request, request.params.id);
    return card.cardHistory(request.params.id);
  });
  app.post('/cards/:id/hand-over', { schema: { tags, summary: '交付（本人確認・暗証番号設定）', params: IdParams, body: HandOverBody, response: { 200: CardRecord } } },
    async (request) => card.handOver(staff(request), request.params.id, request.body));
  app.post('/cards/:id/attribute-update', { schema: { tags, summary: '券面記載事項変更（署名用電子証明書の再発行）', params: IdParams, body: AttributeUpdateBody, response: { 200: CardRecord } } },
    async (request) => card.updateAttributes(staff(request), request.params.id, request.body));
  app.post('/cards/:id/invalidation', { schema: { tags, summary: 'カードの廃止（死亡・国外転出・返納）', params: IdParams, body: InvalidateBody, response: { 200: CardRecord } } }, async (request) => {
    await ownCard(request, request.params.id);
    return card.invalidate(request.params.id, { actor: { staff: staff(request) }, reason: request.body.reason });
  });
  app.post('/cards/:id/free-area', { schema: { tags, summary: '空き領域アプリの搭載（図書館カード・職員証など）', params: IdParams, body: FreeAreaBody, response: { 200: CardRecord } } }, async (request) => {
    const { dataBase64, ...rest } = request.body;
    return card.installFreeArea(staff(request), request.params.id, { ...rest, data: new Uint8Array(Buffer.from(dataBase64, 'base64')) });
  });
  for (const [path, summary, action] of [
    ['suspension', '一時停止（24時間コールセンター）', 'suspend'], ['resumption', '一時停止の解除', 'resume'], ['loss', '紛失の届出（電子証明書の失効）', 'reportLost'],
  ] as const) {
    app.post(`/cards/:id/${path}`, { schema: { tags, summary, params: IdParams, body: ReportBody, response: { 200: CardRecord } } }, async (request) => {
      await ownCard(request, request.params.id);
      return card[action](request.params.id, { actor: { staff: staff(request) }, reportedBy: request.body.reportedBy });
    });
  }
};

/**
 * The virtual card reader: the platform holds demo cards' chips; a caller sends APDUs as if the
 * card were in its reader. Holding the card means using it (its PINs still apply), so this is for
 * demos and tests only (MYNA_CARD_VIRTUAL_READER=false in production).
 */
export const virtualReaderRoutes: FastifyPluginAsyncTypebox<{ card: CardService; enabled: boolean }> = async (app, { card, enabled }) => {
  app.addHook('onRequest', async () => {
    if (!enabled) throw cardError('CARD_VIRTUAL_READER_DISABLED');
  });
  const vtags = ['card virtual reader'];
  // Any text: an id that is no card's (malformed or unknown) is CARD_NOT_FOUND, as for a card not in the reader.
  const CardParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
  app.get('/cards', { schema: { tags: vtags, summary: 'デモ用カードの一覧（暗証番号は含みません）', security: [] } }, async () =>
    (await card.listCards({ demo: true, status: 'active' })).map((c) => ({ id: c.id, serial: c.serial, lgCode: c.lgCode, expiresOn: c.expiresOn })));
  app.post('/cards/:id/transmit', { schema: { tags: vtags, summary: 'APDU を1つ送る', security: [], params: CardParams, body: ApduBody, response: { 200: Type.Object({ response: Type.String() }) } } }, async (request) => {
    const chip = await card.openChip(request.params.id);
    const answer = await chip.transmit(new Uint8Array(Buffer.from(request.body.apdu, 'hex')));
    return { response: Buffer.from(answer).toString('hex').toUpperCase() };
  });
  app.post('/cards/:id/reset', { schema: { tags: vtags, summary: 'カードのリセット（ATR を返す）', security: [], params: CardParams, response: { 200: Type.Object({ atr: Type.String() }) } } }, async (request) => {
    const chip = await card.openChip(request.params.id);
    return { atr: Buffer.from(await chip.reset()).toString('hex').toUpperCase() };
  });
};
