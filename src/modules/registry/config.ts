// The registry's dependencies and configuration.
import type { Database } from '../../kernel/db/database.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { AuditLog } from '../../kernel/audit/audit-log.ts';
import type { Logger } from '../../kernel/logger.ts';

/** What the registry needs from the platform. */
export interface RegistryDeps {
  database: Database;
  clock: Clock;
  audit: AuditLog;
  logger: Logger;
}

/** Registry settings, from the platform configuration. */
export interface RegistryConfig {
  /** Master key of the 住民票コード/個人番号 derivation (MYNA_NUMBERING_KEY); undefined = kept in the database. */
  numberingKey: Uint8Array | undefined;
}
