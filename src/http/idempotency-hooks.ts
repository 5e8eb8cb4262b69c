// Idempotency-Key support for every POST/PUT/PATCH/DELETE: a retry with the same key and body gets the first answer again.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { kernelError } from '../kernel/errors.ts';
import { sha256Hex, type IdempotencyStore } from '../kernel/idempotency/idempotency-store.ts';

const KEY = /^[A-Za-z0-9_\-:.]{8,128}$/;
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: { scope: string; key: string } | null;
  }
}

/**
 * The key is scoped to the caller's credentials and the route, so two callers cannot collide and
 * one key cannot replay another route. Bodies are compared by hash: the same key with another
 * body is refused. Streamed bodies (CSV imports) are not covered: an import is atomic and a
 * repeated one is refused by its own checks.
 */
async function idempotencyHooks(app: FastifyInstance, { store }: { store: IdempotencyStore }): Promise<void> {
  app.decorateRequest('idempotency', null);
  app.addHook('preHandler', async (request, reply) => {
    const raw = request.headers['idempotency-key'];
    if (raw === undefined || !WRITES.has(request.method)) return;
    const key = Array.isArray(raw) ? raw[0]! : raw;
    if (!KEY.test(key)) throw kernelError('KERNEL_IDEMPOTENCY_KEY_INVALID');
    if (typeof request.body === 'object' && request.body !== null && typeof (request.body as { pipe?: unknown }).pipe === 'function') return;
    const scope = sha256Hex(`${credentialOf(request)}\u0000${request.method}\u0000${request.url}`);
    const claim = await store.claim(scope, key, sha256Hex(JSON.stringify(request.body ?? null)));
    if (claim.kind === 'mismatch') throw kernelError('KERNEL_IDEMPOTENCY_KEY_REUSED');
    if (claim.kind === 'in_progress') throw kernelError('KERNEL_IDEMPOTENCY_IN_PROGRESS');
    if (claim.kind === 'replay') {
      reply.header('idempotent-replayed', 'true');
      if (claim.contentType) reply.type(claim.contentType);
      return reply.status(claim.status).send(claim.body);
    }
    request.idempotency = { scope, key };
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotency;
    if (!claim || reply.getHeader('idempotent-replayed')) return payload;
    if (reply.statusCode >= 500) {
      // The outcome is unknown (the change may have committed): keep the claim, so a retry is
      // refused rather than run twice.
      return payload;
    }
    if (reply.statusCode >= 400) {
      // A refused request changed nothing (use cases run in one transaction): free the key.
      await store.release(claim.scope, claim.key);
    } else {
      await store.complete(claim.scope, claim.key, {
        status: reply.statusCode,
        contentType: String(reply.getHeader('content-type') ?? '') || null,
        body: typeof payload === 'string' ? payload : JSON.stringify(payload ?? null),
      });
    }
    return payload;
  });
}

function credentialOf(request: FastifyRequest): string {
  return String(request.headers.authorization ?? request.headers['x-api-key'] ?? 'anonymous');
}

export const idempotency = fp(idempotencyHooks, { name: 'idempotency' });
