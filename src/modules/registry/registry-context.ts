// What every registry use case receives: the database, the clock, the audit log, the logger and the numbering keys.
import type { Database } from '../../kernel/db/database.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { AuditLog } from '../../kernel/audit/audit-log.ts';
import type { Logger } from '../../kernel/logger.ts';
import type { NumberingKeys } from './numbering.ts';
import type { RegistryDb } from './db/tables.ts';

export interface RegistryContext {
  readonly database: Database;
  readonly db: RegistryDb;
  readonly clock: Clock;
  readonly audit: AuditLog;
  readonly logger: Logger;
  readonly keys: NumberingKeys;
}
