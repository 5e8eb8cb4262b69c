// pino logger whose every line passes through redact.ts: no individual number, PIN or key is ever written.
import { pino, type Logger, type DestinationStream } from 'pino';
import { redactUrl, redactValue } from './redact.ts';

export type { Logger } from 'pino';

/**
 * Creates the platform logger.
 *
 * @example
 * const log = createLogger({ level: 'info' });
 * log.info({ residentId }, '住民票を参照しました');
 */
export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'myna-platform' },
      timestamp: pino.stdTimeFunctions.isoTime,
      hooks: {
        logMethod(args, method) {
          const clean = args.map((a) => redactValue(a)) as Parameters<typeof method>;
          method.apply(this, clean);
        },
      },
      serializers: {
        req: (req: { method?: string; url?: string; id?: unknown }) => ({
          method: req.method,
          url: typeof req.url === 'string' ? redactUrl(req.url) : req.url,
          id: req.id,
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        err: (err: unknown) => redactValue(err),
      },
      formatters: {
        // Last line of defence: whatever reached the final object (child bindings included) is scrubbed.
        log: (object) => redactValue(object) as Record<string, unknown>,
      },
    },
    options.destination,
  );
}
