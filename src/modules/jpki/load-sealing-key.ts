// Finds the key that seals CA private keys: the configured one, or a key file in the data folder.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../kernel/logger.ts';

/**
 * MYNA_JPKI_KEYSTORE_KEY wins. Without it the key is kept in `<dataDir>/jpki-keystore.key`
 * (created once, mode 0600): never in the database it protects.
 */
export function loadSealingKey(configured: Uint8Array | undefined, dataDir: string, logger: Logger): Uint8Array {
  if (configured) return configured;
  const path = join(dataDir, 'jpki-keystore.key');
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    logger.warn({ path }, 'MYNA_JPKI_KEYSTORE_KEY is not set: generated a key-store key file (fine for development; production sets the variable or uses an HSM, see docs/config.md)');
  }
  const hex = readFileSync(path, 'utf8').trim();
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new TypeError(`${path} must hold 64 hex digits`);
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}
