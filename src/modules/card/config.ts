// The card module's dependencies.
import type { Database } from '../../kernel/db/database.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { AuditLog } from '../../kernel/audit/audit-log.ts';
import type { Logger } from '../../kernel/logger.ts';
import type { RegistryService } from '../registry/index.ts';
import type { JpkiService } from '../jpki/index.ts';
import type { CardSettings } from './contract.ts';

export interface CardDeps {
  database: Database;
  clock: Clock;
  audit: AuditLog;
  logger: Logger;
  registry: RegistryService;
  jpki: JpkiService;
  /** The platform's 32-byte sealing key; the module derives its own keys from it. */
  sealingKey: Uint8Array;
  settings: CardSettings;
}

export const DEFAULT_CARD_SETTINGS: CardSettings = { validityBirthdays: 10, minorValidityBirthdays: 5, minorAge: 20, renewalWindowMonths: 3 };
