// Decides how a CLI command reaches the data: through the running server (it owns the embedded
// PGlite folder, which only one process may open) or by opening the database itself.
import { loadConfig, type PlatformConfig } from '../kernel/config.ts';
import { createLogger } from '../kernel/logger.ts';
import { createPlatform } from '../platform/create-platform.ts';
import { platformOperations, type PlatformOperations } from '../platform/platform-operations.ts';
import { readHandover } from '../platform/server-handover.ts';
import { remoteOperations } from './remote-operations.ts';

export interface Connection {
  ops: PlatformOperations;
  /** How the data was reached, for the summary line. */
  via: string;
  close(): Promise<void>;
}

/**
 * PostgreSQL (DATABASE_URL): always direct, the server allows many clients.
 * PGlite folder: through the server when one runs on it (server.json), else direct.
 */
export async function connect(options: { memory?: boolean } = {}): Promise<Connection> {
  const config: PlatformConfig = loadConfig(process.env, options.memory ? { memory: true } : {});
  if (!config.databaseUrl && !config.memory) {
    const handover = readHandover(config.dataDir);
    if (handover) {
      return { ops: remoteOperations(handover), via: `稼働中のサーバー経由 (${handover.url}, pid ${handover.pid})`, close: async () => undefined };
    }
  }
  // Quiet logs: the CLI reports through its own output.
  const logger = createLogger({ level: process.env['LOG_LEVEL'] ?? 'error' });
  const platform = await createPlatform(config, { logger });
  const via = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : config.memory ? 'PGlite (メモリ)' : `PGlite (${config.dataDir})`;
  return { ops: platformOperations(platform), via, close: () => platform.close() };
}
