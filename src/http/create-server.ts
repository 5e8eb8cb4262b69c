// Assembles the HTTP server: global error handling, OpenAPI at /docs, health check, and each module's routes.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { registryRoutes } from '../modules/registry/index.ts';
import { jpkiRoutes } from '../modules/jpki/index.ts';
import { cardRoutes, virtualReaderRoutes } from '../modules/card/index.ts';
import { centreRoutes, httpMunicipalClient, municipalRoutes, verificationRoutes } from '../modules/issuance/index.ts';
import { VERIFY_PAGE } from './verify-page.ts';
import { webApps } from './web-apps.ts';
import { injectFetch } from './inject-fetch.ts';
import type { Platform } from '../platform/create-platform.ts';
import { kernelError } from '../kernel/errors.ts';
import { sendProblem } from './problem.ts';
import { healthRoutes } from './health-routes.ts';
import { opsRoutes } from './ops-routes.ts';
import { idempotency } from './idempotency-hooks.ts';
import { nulCharacters } from './nul-characters.ts';

export interface ServerOptions {
  /** Token that authorises the operator routes (/ops/v1) the CLI uses while the server owns the database. */
  opsToken?: string;
}

/**
 * Builds the Fastify app (not listening yet; tests use `app.inject()`).
 *
 * @example
 * const app = await createServer(platform, { opsToken });
 * await app.listen({ port: 8080 });
 */
export async function createServer(platform: Platform, options: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: platform.logger as FastifyBaseLogger,
    bodyLimit: platform.config.bodyLimit,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
    // Errors raised before routing (an undecodable URL, a bad content type) get the same problem+json.
    frameworkErrors: (error, request, reply) => { sendProblem(request, reply, error); },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setErrorHandler((error, request, reply) => sendProblem(request, reply, error));
  app.setNotFoundHandler((request, reply) => sendProblem(request, reply, kernelError('KERNEL_ROUTE_NOT_FOUND', { detail: `${request.method} ${request.url.split('?')[0]}` })));

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'myna-platform API',
        version: '0.1.0',
        description: 'マイナンバーカード基盤の API。エラーは application/problem+json（docs/errors.md）。',
      },
      components: {
        securitySchemes: {
          staffApiKey: { type: 'http', scheme: 'bearer', description: '市区町村職員のAPIキー' },
          verifierKey: { type: 'apiKey', in: 'header', name: 'X-JPKI-Verifier-Key', description: '登録検証者の認証情報（myna-platform jpki verifier add）' },
          kioskCredential: { type: 'http', scheme: 'bearer', description: 'コンビニ交付端末の認証情報' },
        },
      },
      security: [{ staffApiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(nulCharacters);
  await app.register(idempotency, { store: platform.idempotency });
  await app.register(healthRoutes, { platform });
  await app.register(registryRoutes, { prefix: '/registry/v1', registry: platform.registry, importBodyLimit: platform.config.importBodyLimit });
  await app.register(jpkiRoutes, { prefix: '/jpki', jpki: platform.jpki });
  await app.register(cardRoutes, { prefix: '/card/v1', card: platform.card, registry: platform.registry });
  await app.register(virtualReaderRoutes, { prefix: '/card/virtual/v1', card: platform.card, enabled: platform.config.cardVirtualReader });
  // The centre reaches municipal certificate servers only over their HTTP API; in one process that is this server, in memory.
  const centre = platform.issuance.centre(httpMunicipalClient(injectFetch(app), 'http://municipal-servers.internal', platform.issuance.centreToken));
  await app.register(centreRoutes, { prefix: '/issuance/centre/v1', centre });
  await app.register(municipalRoutes, { prefix: '/issuance/municipal/v1', municipal: platform.issuance.municipal, registry: platform.registry, centreToken: platform.issuance.centreToken });
  await app.register(verificationRoutes, { prefix: '/issuance/v1', verify: (pdf) => platform.issuance.verifyDocument(pdf), trust: () => platform.issuance.documentTrust() });
  app.get('/verify', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(VERIFY_PAGE));
  // The demo kiosk's configuration (its credential): only where demo cards are served.
  app.get('/kiosk/config.json', { schema: { hide: true } }, async () => {
    const lgCode = platform.config.demoMunicipality;
    if (!platform.config.cardVirtualReader || !lgCode) throw kernelError('KERNEL_ROUTE_NOT_FOUND', { detail: 'デモ用キオスクは無効です（MYNA_CARD_VIRTUAL_READER / MYNA_DEMO_MUNICIPALITY）' });
    return platform.issuance.setUpDemo(lgCode);
  });
  await app.register(webApps);
  if (options.opsToken) await app.register(opsRoutes, { prefix: '/ops/v1', platform, token: options.opsToken });
  return app;
}
