// Runs the real `openssl`, for tests that check what OpenSSL makes of our certificates, CRLs and OCSP responses.
import { execFileSync, spawnSync } from 'node:child_process';
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

/**
 * Writes `files` into a fresh temp folder, runs openssl with the arguments made for that folder,
 * cleans up. Returns the exit status and stdout + stderr (OpenSSL 3.0 often exits 0 on failure, so
 * tests read the text).
 *
 * @example
 * const { output } = opensslIn({ 'ca.pem': caPem, 'crl.der': crl }, (dir) => ['crl', '-inform', 'DER', '-in', join(dir, 'crl.der'), '-noout', '-text']);
 */
export function opensslIn(files: Record<string, Uint8Array | string>, args: (dir: string) => string[]): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'myna-openssl-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const run = spawnSync('openssl', args(dir), { encoding: 'utf8' });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
