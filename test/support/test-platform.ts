// Builds a complete platform on a fresh database for a test: two municipalities, a staff API key each, and the HTTP app.
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/kernel/config.ts';
import { fixedClock, type Clock } from '../../src/kernel/clock.ts';
import { createLogger } from '../../src/kernel/logger.ts';
import { createPlatform, type Platform } from '../../src/platform/create-platform.ts';
import { createServer } from '../../src/http/create-server.ts';
import type { RegistryService, StaffPrincipal } from '../../src/modules/registry/index.ts';
import { createTestDatabaseLocation } from './test-database.ts';
import type { DestinationStream } from 'pino';

export interface TestPlatform {
  platform: Platform;
  app: FastifyInstance;
  registry: RegistryService;
  clock: Clock & { set(to: string | Date): void; advance(ms: number): void };
  /** 三鷹市 (132047) and 千代田区 (131016). */
  lgCode: string;
  otherLgCode: string;
  apiKey: string;
  otherApiKey: string;
  staff: StaffPrincipal;
  otherStaff: StaffPrincipal;
  /** Every log line written, for privacy assertions. */
  logLines: string[];
  close(): Promise<void>;
}

/** The frozen instant tests start at unless they pass their own clock: 2026-11-24 10:00 JST. */
export const TEST_NOW = '2026-11-24T01:00:00Z';

/**
 * @example
 * const t = await createTestPlatform();
 * after(() => t.close());
 * const res = await t.app.inject({ method: 'GET', url: '/healthz' });
 */
export async function createTestPlatform(options: { clock?: ReturnType<typeof fixedClock>; opsToken?: string; env?: Record<string, string> } = {}): Promise<TestPlatform> {
  const clock = options.clock ?? fixedClock(TEST_NOW);
  const logLines: string[] = [];
  const destination: DestinationStream = { write: (line: string) => { logLines.push(line); } };
  const logger = createLogger({ level: 'debug', destination });
  const { location, drop } = await createTestDatabaseLocation();
  // `env`: further settings, as the environment would give them (e.g. MYNA_ISSUANCE_COMMISSION_PERIODS).
  const config = loadConfig({ LOG_LEVEL: 'debug', MYNA_DEMO_MUNICIPALITY: '', ...options.env }, { memory: true });
  const platform = await createPlatform(config, { clock, logger, location });
  const app = await createServer(platform, options.opsToken ? { opsToken: options.opsToken } : {});
  await app.ready();
  const registry = platform.registry;
  await registry.registerMunicipality({ lgCode: '132047', name: '三鷹市', nameKana: 'ミタカシ', prefecture: '東京都', population: 190000 });
  await registry.registerMunicipality({ lgCode: '131016', name: '千代田区', nameKana: 'チヨダク', prefecture: '東京都', population: 68000 });
  const key = await registry.createApiKey('132047', '三鷹 窓口一郎');
  const otherKey = await registry.createApiKey('131016', '千代田 窓口花子');
  return {
    platform, app, registry, clock, logLines,
    lgCode: '132047', otherLgCode: '131016',
    apiKey: key.apiKey, otherApiKey: otherKey.apiKey,
    staff: await registry.authenticate(key.apiKey),
    otherStaff: await registry.authenticate(otherKey.apiKey),
    async close() {
      await app.close();
      await platform.close();
      await drop();
    },
  };
}
