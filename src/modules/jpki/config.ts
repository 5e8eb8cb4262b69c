// The JPKI module's dependencies and configuration.
import type { Database } from '../../kernel/db/database.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { AuditLog } from '../../kernel/audit/audit-log.ts';
import type { Logger } from '../../kernel/logger.ts';
import type { KeyStore } from './key-store.ts';
import type { Kysely } from 'kysely';
import type { CertificateRecord } from './contract.ts';

/** Told of every status change inside its transaction (revocation push, issue #3 item 7). */
export type StatusChangeListener = (tx: Kysely<any>, certificate: CertificateRecord) => Promise<void>;

export interface JpkiDeps {
  database: Database;
  clock: Clock;
  audit: AuditLog;
  logger: Logger;
  /** Where CA private keys live; default: createSealedKeyStore. */
  keyStore: KeyStore;
  /** Prices and schedules (from PlatformConfig). */
  settings: JpkiSettings;
  /** Called inside the transaction of every hold, release and revocation. */
  statusChangeListeners?: StatusChangeListener[];
}

/** Prices and schedules of the JPKI service. */
export interface JpkiSettings {
  /** Minutes between CRL generations; each CRL's nextUpdate is thisUpdate + this. */
  crlIntervalMinutes: number;
  prices: { ocspYen: number; verifyYen: number; crlCertificateMonthYen: number };
}
