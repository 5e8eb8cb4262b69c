// Renders errors as RFC 9457 application/problem+json with the platform's stable codes.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { PlatformError, kernelError } from '../kernel/errors.ts';
import { redactUrl, redactValue } from '../kernel/redact.ts';

/** The problem document every error response carries. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  problems?: readonly { line?: number; field?: string; reason: string; code?: string }[];
}

/** Maps anything thrown in a route to a PlatformError; unknown errors become KERNEL_INTERNAL_ERROR. */
export function toPlatformError(error: unknown): PlatformError {
  if (error instanceof PlatformError) return error;
  const e = error as FastifyError & { validation?: { instancePath?: string; message?: string; params?: Record<string, unknown> }[] };
  if (e?.validation) {
    return kernelError('KERNEL_REQUEST_INVALID', {
      detail: e.message,
      problems: e.validation.map((v) => validationProblem(v, e.validationContext ?? 'body')),
    });
  }
  if (e?.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return kernelError('KERNEL_REQUEST_TOO_LARGE', { detail: e.message });
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    // Fastify's own client errors: bad JSON, unsupported media type, empty body…
    if (e.statusCode === 413) return kernelError('KERNEL_REQUEST_TOO_LARGE', { detail: e.message });
    if (e.statusCode === 415) return kernelError('KERNEL_REQUEST_MEDIA_TYPE', { detail: e.message });
    return kernelError('KERNEL_REQUEST_INVALID', { detail: e.message });
  }
  return kernelError('KERNEL_INTERNAL_ERROR');
}

/**
 * Sends the problem document. Its messages never contain personal data by construction of
 * PlatformError, but `instance` and `detail` may echo what the client sent (a path, a value it
 * got wrong): an individual number a client put there is masked like in a log line (番号法).
 */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  const platformError = toPlatformError(error);
  if (platformError.status >= 500) request.log.error({ err: error }, 'request failed');
  const body: ProblemDocument = {
    type: `urn:myna-platform:error:${platformError.code}`,
    title: platformError.message,
    status: platformError.status,
    code: platformError.code,
    instance: redactUrl(request.url.split('?')[0]!),
    // Framework errors quote the raw URL in their detail ("'/x/%31…' is not a valid url component").
    ...(platformError.detail ? { detail: redactUrl(platformError.detail) } : {}),
    ...(platformError.problems ? { problems: platformError.problems } : {}),
  };
  return reply.status(platformError.status).type('application/problem+json; charset=utf-8').send(redactValue(body));
}

type AjvError = { instancePath?: string; keyword?: string; message?: string; params?: Record<string, unknown> };

/** One schema violation as a problem: the field's dotted path and a Japanese reason. */
function validationProblem(v: AjvError, context: string): { field: string; reason: string } {
  const path = (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const join = (name: unknown) => [path, String(name)].filter(Boolean).join('.');
  switch (v.keyword) {
    case 'required': return { field: join(v.params?.['missingProperty']), reason: '必須項目です' };
    case 'additionalProperties': return { field: join(v.params?.['additionalProperty']), reason: '定義されていない項目です' };
    case 'type': return { field: path || context, reason: `型が違います（${String(v.params?.['type'])}）` };
    case 'maxLength': return { field: path || context, reason: `${String(v.params?.['limit'])}文字以内です` };
    case 'minLength': return { field: path || context, reason: `${String(v.params?.['limit'])}文字以上です` };
    case 'enum': return { field: path || context, reason: `次のいずれかです: ${(v.params?.['allowedValues'] as unknown[] ?? []).join(', ')}` };
    default: return { field: path || context, reason: v.message ?? '不正な値です' };
  }
}
