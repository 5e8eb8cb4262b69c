// Runs the real `openssl x509` on a DER certificate, for tests that check what OpenSSL makes of our certificates.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `openssl x509 -inform DER -noout <args>` on `der`; returns stdout.
 *
 * @example
 * opensslX509(der, '-subject', '-nameopt', 'RFC2253');
 */
export function opensslX509(der: Uint8Array, ...args: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'myna-x509-'));
  try {
    writeFileSync(join(dir, 'c.der'), der);
    return execFileSync('openssl', ['x509', '-inform', 'DER', '-in', join(dir, 'c.der'), '-noout', ...args], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
