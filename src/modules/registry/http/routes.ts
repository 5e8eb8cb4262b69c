// The registry's HTTP API for municipal staff (/registry/v1): an encapsulated Fastify plugin, one schema and one service call per route.
import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { kernelError } from '../../../kernel/errors.ts';
import { staffApiKey } from '../../../kernel/http-credentials.ts';
import { CappedUpload, limitBytes } from '../../../kernel/streams/limit-bytes.ts';
import type { NewPersonInput, RegistryService, StaffPrincipal } from '../contract.ts';
import { normalisePerson } from '../change-input-checks.ts';
import {
  AbolishBody, BirthBody, CorrectionBody, DeathBody, FamilyRegister, Household, ImportSummary, MoveInBody, MoveOutBody,
  MoveWithinBody, Municipality, NameChangeBody, Purpose, ReissueBody, ResidentEvent, ResidentRecord, SealBody, SealRegistration,
  SearchBody, SearchResult, TaxBody, TaxRecord, Uuid, problemResponses,
} from './schemas.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The staff member a registry route acts for, set by the registry's authentication hook. */
    staff: StaffPrincipal | null;
  }
}

export interface RegistryRoutesOptions {
  registry: RegistryService;
  /** Largest CSV accepted by POST /imports, in bytes (MYNA_IMPORT_BODY_LIMIT). */
  importBodyLimit?: number;
}

const DEFAULT_IMPORT_BODY_LIMIT = 512 * 1024 * 1024;
const tags = ['registry'];
const ReadQuery = Type.Object({ purpose: Purpose }, { additionalProperties: false });
const IdParams = Type.Object({ id: Uuid });
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/svg+xml'] as const;

/**
 * Registers the registry routes. Every route needs a staff API key (`Authorization: Bearer <key>`
 * or `X-API-Key: <key>`) and acts within that staff member's municipality. Reads take a 利用目的
 * (`purpose`), recorded in the audit log. An individual number is accepted only in a request body
 * (POST /residents/search), never in a URL.
 *
 * @example
 * await app.register(registryRoutes, { prefix: '/registry/v1', registry, importBodyLimit });
 */
export const registryRoutes: FastifyPluginAsyncTypebox<RegistryRoutesOptions> = async (app, { registry, importBodyLimit = DEFAULT_IMPORT_BODY_LIMIT }) => {
  app.decorateRequest('staff', null);
  app.addHook('onRequest', async (request) => {
    const key = staffApiKey(request.headers);
    if (!key) throw kernelError('KERNEL_AUTH_REQUIRED', { detail: 'Authorization: Bearer <APIキー> または X-API-Key ヘッダーを指定してください' });
    request.staff = await registry.authenticate(key);
  });
  // Imports are streamed into the database as they arrive, never buffered whole.
  app.addContentTypeParser('text/csv', (request, payload, done) => {
    if (Number(request.headers['content-length']) > importBodyLimit) {
      done(kernelError('KERNEL_REQUEST_TOO_LARGE', { detail: `取込ファイルは${importBodyLimit}バイト以下です` }), undefined);
      return;
    }
    done(null, limitBytes(payload, importBodyLimit));
  });

  app.get('/municipality', {
    schema: { summary: '自団体の情報', tags, response: { 200: Municipality, ...problemResponses } },
  }, async (request) => registry.getMunicipality(staffOf(request).lgCode));

  app.post('/residents/search', {
    schema: { summary: '住民の検索（個人番号は本文でのみ指定）', tags, body: SearchBody, response: { 200: SearchResult, ...problemResponses } },
  }, async (request) => registry.findResidents({ staff: staffOf(request), purpose: request.body.purpose }, request.body.query));

  app.get('/residents/:id', {
    schema: { summary: '住民票の参照', tags, params: IdParams, querystring: ReadQuery, response: { 200: ResidentRecord, ...problemResponses } },
  }, async (request) => registry.getResident(readContext(request, request.query.purpose), request.params.id));

  app.get('/residents/:id/history', {
    schema: { summary: '異動履歴の参照', tags, params: IdParams, querystring: ReadQuery, response: { 200: Type.Array(ResidentEvent), ...problemResponses } },
  }, async (request) => registry.getResidentHistory(readContext(request, request.query.purpose), request.params.id));

  app.get('/households/:id', {
    schema: { summary: '世帯の参照', tags, params: IdParams, querystring: ReadQuery, response: { 200: Household, ...problemResponses } },
  }, async (request) => registry.getHousehold(readContext(request, request.query.purpose), request.params.id));

  app.post('/births', {
    schema: { summary: '出生の記録', tags, body: BirthBody, response: { 201: ResidentRecord, ...problemResponses } },
  }, async (request, reply) => {
    const { person, ...rest } = request.body;
    return reply.status(201).send(await registry.recordBirth(staffOf(request), { ...rest, person: toPerson(person, person.relationship) }));
  });

  app.post('/move-ins', {
    schema: { summary: '転入の記録', tags, body: MoveInBody, response: { 201: ResidentRecord, ...problemResponses } },
  }, async (request, reply) => {
    const { person, ...rest } = request.body;
    return reply.status(201).send(await registry.recordMoveIn(staffOf(request), { ...rest, ...(person ? { person: toPerson(person, rest.relationship) } : {}) }));
  });

  app.post('/residents/:id/move-within', {
    schema: { summary: '転居の記録', tags, params: IdParams, body: MoveWithinBody, response: { 200: ResidentRecord, ...problemResponses } },
  }, async (request) => registry.recordMoveWithin(staffOf(request), request.params.id, request.body));

  app.post('/residents/:id/move-out', {
    schema: { summary: '転出届の記録', tags, params: IdParams, body: MoveOutBody, response: { 200: ResidentRecord, ...problemResponses } },
  }, async (request) => registry.recordMoveOut(staffOf(request), request.params.id, request.body));

  app.post('/residents/:id/death', {
    schema: { summary: '死亡の記録', tags, params: IdParams, body: DeathBody, response: { 200: ResidentRecord, ...problemResponses } },
  }, async (request) => registry.recordDeath(staffOf(request), request.params.id, request.body));

  app.post('/residents/:id/name-change', {
    schema: { summary: '氏名変更の記録', tags, params: IdParams, body: NameChangeBody, response: { 200: ResidentRecord, ...problemResponses } },
  }, async (request) => registry.changeName(staffOf(request), request.params.id, request.body));

  app.post('/residents/:id/corrections', {
    schema: { summary: '職権修正', tags, params: IdParams, body: CorrectionBody, response: { 200: ResidentRecord, ...problemResponses } },
  }, async (request) => registry.correctResident(staffOf(request), request.params.id, request.body));

  app.post('/residents/:id/individual-number-reissue', {
    schema: { summary: '個人番号の変更（漏えい時の再指定）', tags, params: IdParams, body: ReissueBody, response: { 200: ResidentRecord, ...problemResponses } },
  }, async (request) => registry.reissueIndividualNumber(staffOf(request), request.params.id, request.body));

  app.post('/residents/:id/seals', {
    schema: { summary: '印鑑登録', tags, params: IdParams, body: SealBody, response: { 201: SealRegistration, ...problemResponses } },
  }, async (request, reply) => {
    const { image, ...rest } = request.body;
    return reply.status(201).send(await registry.registerSeal(staffOf(request), request.params.id, { ...rest, image: new Uint8Array(Buffer.from(image, 'base64')) }));
  });

  app.get('/residents/:id/seals', {
    schema: { summary: '印鑑登録の一覧', tags, params: IdParams, querystring: ReadQuery, response: { 200: Type.Array(SealRegistration), ...problemResponses } },
  }, async (request) => registry.listSeals(readContext(request, request.query.purpose), request.params.id));

  app.post('/seals/:id/abolish', {
    schema: { summary: '印鑑登録の廃止', tags, params: IdParams, body: AbolishBody, response: { 200: SealRegistration, ...problemResponses } },
  }, async (request) => registry.abolishSeal(staffOf(request), request.params.id, request.body));

  app.get('/seals/:id/image', {
    schema: {
      summary: '印影の画像', tags, params: IdParams, querystring: ReadQuery,
      response: {
        200: { description: '印影（登録時の形式のまま）', content: Object.fromEntries(IMAGE_TYPES.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])) },
        ...problemResponses,
      },
    },
  }, async (request, reply) => {
    const { image, imageType } = await registry.getSealImage(readContext(request, request.query.purpose), request.params.id);
    // An SVG is shown as an image only: nothing in it may run or load anything.
    return reply.type(imageType).header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'").header('x-content-type-options', 'nosniff')
      .send(Buffer.from(image.buffer, image.byteOffset, image.byteLength));
  });

  app.put('/residents/:id/tax-records/:fiscalYear', {
    schema: {
      summary: '課税情報の記録（年度ごと、上書き）', tags, params: Type.Object({ id: Uuid, fiscalYear: Type.Integer({ description: '年度' }) }),
      body: TaxBody, response: { 200: TaxRecord, ...problemResponses },
    },
  }, async (request) => registry.recordTax(staffOf(request), request.params.id, { fiscalYear: request.params.fiscalYear, ...request.body }));

  app.get('/residents/:id/tax-records', {
    schema: { summary: '課税情報の一覧', tags, params: IdParams, querystring: ReadQuery, response: { 200: Type.Array(TaxRecord), ...problemResponses } },
  }, async (request) => registry.listTaxRecords(readContext(request, request.query.purpose), request.params.id));

  app.get('/family-registers', {
    schema: {
      summary: '戸籍の検索（本籍・筆頭者）', tags,
      querystring: Type.Object({
        purpose: Purpose,
        honseki: Type.Optional(Type.String({ maxLength: 300, description: '本籍（前方一致）' })),
        hittosha: Type.Optional(Type.String({ maxLength: 100, description: '筆頭者（完全一致）' })),
      }, { additionalProperties: false }),
      response: { 200: Type.Array(FamilyRegister), ...problemResponses },
    },
  }, async (request) => {
    const { purpose, ...query } = request.query;
    return registry.findFamilyRegisters({ staff: staffOf(request), purpose }, query);
  });

  app.get('/family-registers/:id', {
    schema: { summary: '戸籍の参照', tags, params: IdParams, querystring: ReadQuery, response: { 200: FamilyRegister, ...problemResponses } },
  }, async (request) => registry.getFamilyRegister(readContext(request, request.query.purpose), request.params.id));

  app.post('/imports', {
    schema: {
      summary: '住民の一括取込（CSV、全件成功または全件取消）', tags, consumes: ['text/csv'],
      body: Type.Unsafe<Readable>({ type: 'string', format: 'binary', description: 'docs/registry-import.md の形式のCSV（UTF-8）' }),
      response: { 201: ImportSummary, ...problemResponses },
    },
    // The body is the upload stream itself; its rows are checked by the import, which lists every problem.
    validatorCompiler: () => () => true,
  }, async (request, reply) => {
    const staff = staffOf(request);
    const upload = request.body;
    if (!(upload instanceof CappedUpload)) throw kernelError('KERNEL_REQUEST_MEDIA_TYPE', { detail: 'Content-Type: text/csv で送信してください' });
    return reply.status(201).send(await registry.importResidentsCsv(staff.lgCode, upload, { actor: staff }));
  });
};

function staffOf(request: FastifyRequest): StaffPrincipal {
  if (!request.staff) throw kernelError('KERNEL_AUTH_REQUIRED');
  return request.staff;
}

function readContext(request: FastifyRequest, purpose: string): { staff: StaffPrincipal; purpose: string } {
  return { staff: staffOf(request), purpose };
}

type OptionalPersonField = 'relationship' | 'honseki' | 'hittosha' | 'nationality' | 'residenceStatus' | 'residenceExpiry' | 'residenceCardNumber' | 'aliasName';
/** A person as the API accepts it: the optional fields may be left out. */
type PersonBody = Omit<NewPersonInput, OptionalPersonField> & Partial<Pick<NewPersonInput, OptionalPersonField>>;

/** Omitted optional fields mean "none", which the register stores as null. */
function toPerson(person: PersonBody, relationship: NewPersonInput['relationship']): NewPersonInput {
  return normalisePerson({ ...person, relationship: person.relationship ?? relationship } as NewPersonInput);
}
