// Streams a long operation's progress as NDJSON lines ({"progress"}…, then {"result"} or {"error"}), so a CLI can draw a bar.
import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { toPlatformError } from './problem.ts';

/** A progress line, the final result, or the final error (a problem document). */
export type NdjsonMessage =
  | { progress: { done: number; total: number | null } }
  | { result: unknown }
  | { error: { code: string; status: number; title: string; detail?: string; problems?: unknown } };

/**
 * Runs `operation`, streaming its progress. HTTP status is 200 once streaming starts, so the
 * outcome is in the last line; clients must read it (src/cli/remote-operations.ts does).
 */
export function streamOperation(reply: FastifyReply, operation: (progress: (done: number, total: number | undefined) => void) => Promise<unknown>): FastifyReply {
  const stream = new PassThrough();
  const write = (message: NdjsonMessage) => stream.write(`${JSON.stringify(message)}\n`);
  let last = 0;
  const progress = (done: number, total: number | undefined) => {
    const now = Date.now();
    // At most ten progress lines a second: the bar needs no more.
    if (now - last < 100 && done !== total) return;
    last = now;
    write({ progress: { done, total: total ?? null } });
  };
  void operation(progress).then(
    (result) => { write({ result }); stream.end(); },
    (error) => {
      const e = toPlatformError(error);
      if (e.status >= 500) reply.log.error({ err: error }, 'operation failed');
      write({ error: { code: e.code, status: e.status, title: e.message, ...(e.detail ? { detail: e.detail } : {}), ...(e.problems ? { problems: e.problems } : {}) } });
      stream.end();
    },
  );
  return reply.type('application/x-ndjson; charset=utf-8').send(stream);
}
