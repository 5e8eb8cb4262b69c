// Serves the built web apps (web/<app>/dist, made by `npm run build:web`): the kiosk at /kiosk/.
// Unknown paths without a file extension get the app's index.html (SPA fallback); a missing build is a 503 that says what to run.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { kernelError } from '../kernel/errors.ts';
import { sendProblem } from './problem.ts';

/** `GET /kiosk/config.json`: what the kiosk page needs to talk to the centre. */
export interface KioskConfig {
  kioskCredential: string;
  operatorName: string;
  /** Default: `/issuance/centre/v1` on the same origin. */
  centreUrl?: string;
}

export interface WebAppsOptions {
  /** Folder holding the apps (default: the repository's `web/`). */
  webDir?: string;
  /** When given, the plugin answers `/kiosk/config.json` itself (no-store); otherwise another route must. */
  kioskConfig?: () => KioskConfig | Promise<KioskConfig>;
}

const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web/', import.meta.url));

/**
 * @example
 * await app.register(webApps, { kioskConfig: () => ({ kioskCredential, operatorName: 'デモストア' }) });
 * // GET /kiosk/ → web/kiosk/dist/index.html
 */
export const webApps: FastifyPluginAsync<WebAppsOptions> = async (app, options) => {
  const webDir = options.webDir ?? DEFAULT_WEB_DIR;
  await app.register(async (kiosk) => {
    await serveWebApp(kiosk, join(webDir, 'kiosk', 'dist'));
    if (options.kioskConfig) {
      const config = options.kioskConfig;
      kiosk.get('/config.json', { schema: { hide: true } }, async (_request, reply) => {
        reply.header('cache-control', 'no-store');
        return config();
      });
    }
  }, { prefix: '/kiosk' });
  app.get('/kiosk', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/kiosk/', 301));
};

/** Static files of one built app in the current (prefixed) context, with SPA fallback and the missing-build answer. */
async function serveWebApp(app: Parameters<FastifyPluginAsync>[0], dist: string): Promise<void> {
  const index = join(dist, 'index.html');
  const notBuilt = () => kernelError('KERNEL_WEB_APP_NOT_BUILT', { detail: `${index} がありません。npm run build:web を実行してください` });

  // Checked per request: building while the server runs is enough, no restart.
  app.addHook('onRequest', async (request, reply) => {
    if (!existsSync(index)) return sendProblem(request, reply, notBuilt());
  });
  await app.register(fastifyStatic, {
    root: dist,
    prefix: '/',
    wildcard: true,
    index: 'index.html',
    decorateReply: false,
    suppressWarning: true,
    schemaHide: true,
    // Vite names assets by content hash: cache them for good; index.html must always be revalidated.
    setHeaders: (reply, path) => {
      reply.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.setNotFoundHandler(async (request: FastifyRequest, reply: FastifyReply) => {
    if (!existsSync(index)) return sendProblem(request, reply, notBuilt());
    const path = request.url.split('?')[0] ?? '';
    const wantsPage = (request.method === 'GET' || request.method === 'HEAD') && !/\.[a-z0-9]+$/i.test(path);
    if (!wantsPage) return sendProblem(request, reply, kernelError('KERNEL_ROUTE_NOT_FOUND', { detail: `${request.method} ${path}` }));
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(await readFile(index));
  });
}
