// Operator routes (/ops/v1): what the CLI does through the running server while it owns the embedded database.
import type { FastifyPluginAsync } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import type { Readable } from 'node:stream';
import { kernelError } from '../kernel/errors.ts';
import { limitBytes } from '../kernel/streams/limit-bytes.ts';
import type { Platform } from '../platform/create-platform.ts';
import { platformOperations } from '../platform/platform-operations.ts';
import { streamOperation } from './ndjson-stream.ts';

/**
 * Routes for the local operator only: the bearer token is random per server start and written to
 * the data folder's server.json (mode 0600), which only the user running the server can read.
 */
export const opsRoutes: FastifyPluginAsync<{ platform: Platform; token: string }> = async (app, { platform, token }) => {
  const ops = platformOperations(platform);
  const expected = Buffer.from(`Bearer ${token}`);
  app.addHook('onRequest', async (request) => {
    const given = Buffer.from(request.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw kernelError('KERNEL_AUTH_INVALID');
  });
  app.addContentTypeParser('text/csv', (_request, payload, done) => done(null, limitBytes(payload, platform.config.importBodyLimit)));
  const hidden = { hide: true } as const;

  // Every body has a schema, so a malformed one is a 400 problem naming the field, never a 500. The
  // lengths are only a bound: the operations check the values (codes, dates, references) and say what
  // is wrong the same way whether the CLI runs them in process or through here.
  const text = (maxLength: number) => ({ type: 'string', maxLength }) as const;
  const object = (required: readonly string[], properties: Record<string, unknown>) => ({ type: 'object', required, properties }) as const;
  const body = (schema: unknown) => ({ schema: { ...hidden, body: schema } });
  const certificateRef = { anyOf: [object(['id'], { id: text(200) }), object(['serialHex'], { serialHex: text(200) })] } as const;

  app.post('/db/migrate', { schema: hidden }, async () => ops.migrate());
  app.get('/municipalities', { schema: hidden }, async () => ops.listMunicipalities());
  app.post<{ Body: { lgCode: string; name: string; nameKana: string; prefecture: string; population: number } }>('/municipalities', body(object(
    ['lgCode', 'name', 'nameKana', 'prefecture', 'population'],
    { lgCode: text(200), name: text(200), nameKana: text(200), prefecture: text(200), population: { type: 'integer', minimum: 0 } },
  )), async (request, reply) => reply.status(201).send(await ops.registerMunicipality(request.body)));
  app.post<{ Body: { lgCode: string; staffName: string } }>('/api-keys', body(object(['lgCode', 'staffName'], { lgCode: text(200), staffName: text(200) })),
    async (request, reply) => reply.status(201).send(await ops.createApiKey(request.body.lgCode, request.body.staffName)));
  app.post<{ Body: { lgCode: string; residents: number; seed?: string } }>('/seed',
    body(object(['lgCode', 'residents'], { lgCode: text(200), residents: { type: 'integer', minimum: 0 }, seed: text(200) })),
    async (request, reply) => streamOperation(reply, (progress) => ops.seed({ ...request.body, onProgress: progress })));
  app.post<{ Querystring: { lgCode: string; total?: string } }>('/registry/import', {
    schema: { ...hidden, querystring: object(['lgCode'], { lgCode: text(200), total: text(200) }) },
  }, async (request, reply) => {
    const total = Number(request.query.total);
    return streamOperation(reply, (progress) => ops.importCsv(request.query.lgCode, request.body as Readable, {
      onProgress: progress, ...(Number.isFinite(total) && total > 0 ? { totalHint: total } : {}),
    }));
  });
  app.post<{ Body: { newGeneration?: boolean } }>('/jpki/init', { schema: hidden }, async (request) => ops.jpkiInit({ newGeneration: request.body?.newGeneration === true }));
  app.post<{ Body: Parameters<typeof ops.jpkiIssue>[0] }>('/jpki/certificates', body(object(['lgCode', 'residentCode', 'kind', 'spkiBase64'], {
    lgCode: text(200), residentCode: text(200), kind: { enum: ['sign', 'auth'] }, spkiBase64: text(10_000), cardExpiresOn: text(200), replacesId: text(200),
  })), async (request, reply) => reply.status(201).send(await ops.jpkiIssue(request.body)));
  app.post<{ Body: Parameters<typeof ops.jpkiChangeStatus>[0] }>('/jpki/certificates/status', body(object(['ref', 'action', 'source'], {
    ref: certificateRef, action: { enum: ['revoke', 'hold', 'release'] }, reason: text(200), source: text(200),
  })), async (request) => ops.jpkiChangeStatus(request.body));
  app.post<{ Body: Parameters<typeof ops.jpkiStatus>[0] }>('/jpki/certificates/lookup', body(certificateRef), async (request) => ops.jpkiStatus(request.body));
  app.post<{ Body: Parameters<typeof ops.jpkiCrl>[0] }>('/jpki/crl', body(object(['kind'], {
    kind: { enum: ['sign', 'auth'] }, generation: { type: 'integer', minimum: 1 }, generate: { type: 'boolean' },
  })), async (request) => ops.jpkiCrl(request.body));
  app.post<{ Body: Parameters<typeof ops.jpkiAddVerifier>[0] }>('/jpki/verifiers', body(object(['name', 'kind'], { name: text(200), kind: text(200), webhookUrl: text(2000) })),
    async (request, reply) => reply.status(201).send(await ops.jpkiAddVerifier(request.body)));
  app.get('/jpki/verifiers', { schema: hidden }, async () => ops.jpkiListVerifiers());
  app.post<{ Body: Parameters<typeof ops.jpkiStatement>[0] }>('/jpki/statements', body(object(['verifierId', 'month'], { verifierId: text(200), month: text(200) })),
    async (request) => ops.jpkiStatement(request.body));
  app.post<{ Body: Parameters<typeof ops.cardList>[0] }>('/card/list', body(object([], {
    lgCode: text(200), demo: { type: 'boolean' }, status: text(200), limit: { type: 'integer', minimum: 1 },
  })), async (request) => ops.cardList(request.body));
  app.get<{ Params: { id: string } }>('/card/cards/:id', { schema: hidden }, async (request) => ops.cardInfo(request.params.id));
  app.post<{ Body: Parameters<typeof ops.cardChangeStatus>[0] }>('/card/status', body(object(['cardId', 'action', 'reportedBy'], {
    cardId: text(200), action: { enum: ['suspend', 'resume'] }, reportedBy: text(200),
  })), async (request) => ops.cardChangeStatus(request.body));
  app.post<{ Body: Parameters<typeof ops.issuanceSettlement>[0] }>('/issuance/settlement', body(object(['month'], { month: text(200), lgCode: text(200), operatorId: text(200) })),
    async (request) => ops.issuanceSettlement(request.body));
  app.post<{ Body: Parameters<typeof ops.issuanceVerify>[0] }>('/issuance/verify', body(object(['pdfBase64'], { pdfBase64: { type: 'string', minLength: 1 } })),
    async (request) => ops.issuanceVerify(request.body));
  const maintenanceBody = { type: 'object', additionalProperties: false, required: ['lgCode', 'from', 'until', 'reason'], properties: {
    lgCode: { type: ['string', 'null'], maxLength: 6 }, from: { type: 'string', maxLength: 40 }, until: { type: 'string', maxLength: 40 }, reason: { type: 'string', maxLength: 200 },
  } } as const;
  const windowParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 40 } } } as const;
  app.post<{ Body: Parameters<typeof ops.issuanceMaintenance>[0] }>('/issuance/maintenance', { schema: { ...hidden, body: maintenanceBody } }, async (request, reply) =>
    reply.status(201).send(await ops.issuanceMaintenance(request.body)));
  app.get<{ Querystring: { lgCode?: string; global?: boolean } }>('/issuance/maintenance', {
    schema: { ...hidden, querystring: { type: 'object', additionalProperties: false, properties: { lgCode: { type: 'string', maxLength: 6 }, global: { type: 'boolean' } } } },
  }, async (request) => ops.issuanceMaintenanceList(request.query.global ? { lgCode: null } : request.query.lgCode !== undefined ? { lgCode: request.query.lgCode } : {}));
  app.post<{ Params: { id: string } }>('/issuance/maintenance/:id/end', { schema: { ...hidden, params: windowParams } }, async (request) => ops.issuanceMaintenanceEnd({ id: request.params.id }));
  app.delete<{ Params: { id: string } }>('/issuance/maintenance/:id', { schema: { ...hidden, params: windowParams } }, async (request) => ops.issuanceMaintenanceRemove({ id: request.params.id }));
  app.post<{ Body: Parameters<typeof ops.issuanceOperatingCharge>[0] }>('/issuance/operating-charge', {
    schema: { ...hidden, body: { type: 'object', additionalProperties: false, required: ['fiscalYear'], properties: { fiscalYear: { type: 'integer' } } } },
  }, async (request) => ops.issuanceOperatingCharge(request.body));
  app.post('/audit/verify', { schema: hidden }, async (_request, reply) => streamOperation(reply, (progress) => ops.verifyAudit(progress)));
};
