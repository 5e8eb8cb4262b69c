// GET /healthz: the process is up and the database answers.
import type { FastifyPluginAsync } from 'fastify';
import { sql } from 'kysely';
import type { Platform } from '../platform/create-platform.ts';
import { kernelError } from '../kernel/errors.ts';

export const healthRoutes: FastifyPluginAsync<{ platform: Platform }> = async (app, { platform }) => {
  app.get('/healthz', {
    schema: {
      summary: '稼働確認 / Health check',
      tags: ['platform'],
      security: [],
      response: {
        200: {
          type: 'object',
          properties: { status: { type: 'string' }, database: { type: 'string' }, time: { type: 'string' } },
          required: ['status', 'database', 'time'],
        },
      },
    },
  }, async () => {
    try {
      await sql`SELECT 1`.execute(platform.database.db);
    } catch (cause) {
      throw kernelError('KERNEL_DB_UNAVAILABLE', { cause });
    }
    return { status: 'ok', database: platform.database.kind, time: platform.clock.now().toISOString() };
  });
};
