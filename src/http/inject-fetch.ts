// A fetch() over this server's own routes in memory (app.inject): how one-process deployments let organisations call each other's HTTP APIs.
import type { FastifyInstance } from 'fastify';

/**
 * The full HTTP stack (hooks, schemas, auth, problem+json) without a socket. Only the path and
 * query of the URL are used; the host names the organisation for readers of the code.
 */
export function injectFetch(app: FastifyInstance): typeof fetch {
  return (async (input: string | URL, init: RequestInit = {}) => {
    const url = new URL(String(input));
    const response = await app.inject({
      method: (init.method ?? 'GET') as 'GET',
      url: url.pathname + url.search,
      headers: init.headers as Record<string, string>,
      ...(init.body !== undefined ? { payload: init.body as string } : {}),
    });
    // A 204/304 has no body: fetch's Response refuses one, even empty.
    const body = response.statusCode === 204 || response.statusCode === 304 ? null : response.rawPayload;
    return new Response(body, { status: response.statusCode, headers: response.headers as Record<string, string> });
  }) as typeof fetch;
}
