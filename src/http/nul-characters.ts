// Refuses U+0000 in a request's path parameters, query and JSON body, before any route sees it.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { kernelError } from '../kernel/errors.ts';

/** Deeper than any body a route accepts; a deeper value is left to the route's schema. */
const MAX_DEPTH = 32;

/**
 * The dotted path of the first string (or object key) holding U+0000 in `value`, or undefined.
 * Buffers and streams (PDF uploads, CSV imports) are not looked into: they are bytes, and their
 * routes read them with their own parsers.
 */
export function nulCharacterAt(value: unknown, path = '', depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulCharacterAt(value[i], path ? `${path}.${i}` : String(i), depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  // Query objects have a prototype-less prototype of their own, so bytes and streams are told by what they are.
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || typeof (value as { pipe?: unknown }).pipe === 'function') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return at.replace(/\u0000/g, '\\u0000');
    const found = nulCharacterAt(item, at, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * PostgreSQL text cannot hold U+0000, so such a value would otherwise reach a query and come back
 * as a database error, a 500 for what is the client's mistake; no form or card produces one.
 */
async function nulCharacterHooks(app: FastifyInstance): Promise<void> {
  app.addHook('preValidation', async (request) => {
    for (const [where, value] of [['params', request.params], ['querystring', request.query], ['body', request.body]] as const) {
      const at = nulCharacterAt(value);
      if (at !== undefined) {
        throw kernelError('KERNEL_REQUEST_INVALID', {
          detail: 'NUL文字（U+0000）は使えません / U+0000 is not allowed',
          problems: [{ field: [where, at].filter(Boolean).join('.'), reason: 'NUL文字（U+0000）は使えません' }],
        });
      }
    }
  });
}

/** Registered once on the root app, so it applies to every route. */
export const nulCharacters = fp(nulCharacterHooks, { name: 'nul-characters' });
