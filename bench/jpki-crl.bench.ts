// Benchmark: buildCrl for N revoked certificates (default 1,000,000) against a 30 s target, and how long OpenSSL takes to parse the result.
import { spawnSync } from 'node:child_process';
import { randomBytes, webcrypto } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCaCertificate, buildCrl, REVOCATION_REASONS, type CrlEntry } from '../src/modules/jpki/index.ts';

const TARGET_SECONDS = 30;
const RSA = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' } as const;

/**
 * `count` entries as the certificate table would give them (not timed): positive 16-byte random serials
 * shaped like issue-certificate.ts makes them, every JPKI reason in turn, revoked over the past year.
 */
function syntheticEntries(count: number, now: Date): CrlEntry[] {
  const random = randomBytes(count * 16);
  const year = 365 * 24 * 3_600_000;
  return Array.from({ length: count }, (_, i) => {
    const serial = random.subarray(i * 16, (i + 1) * 16);
    serial[0] = (serial[0]! & 0x7f) | 0x01;
    return {
      serialHex: serial.toString('hex'),
      revokedAt: new Date(now.getTime() - Math.floor((i / Math.max(count, 1)) * year)),
      reason: REVOCATION_REASONS[i % REVOCATION_REASONS.length]!,
    };
  });
}

/** Seconds `openssl crl -inform DER -noout` takes to read the file, or undefined without openssl. */
function opensslParse(file: string): { seconds: number; parsed: boolean } | undefined {
  const started = performance.now();
  const run = spawnSync('openssl', ['crl', '-inform', 'DER', '-in', file, '-noout'], { encoding: 'utf8' });
  if (run.error) return undefined;
  return { seconds: (performance.now() - started) / 1000, parsed: run.status === 0 };
}

/**
 * Builds a CRL of `entries` entries with a fresh RSA-2048 CA (non-extractable signing key, as the key
 * store hands it out), times buildCrl alone, then OpenSSL parsing the file; prints one JSON line.
 * @example await runCrlBenchmark(1_000_000); // {"benchmark":"jpki-crl","entries":1000000,"generateSeconds":1.6,…}
 */
export async function runCrlBenchmark(entries: number): Promise<void> {
  if (!Number.isSafeInteger(entries) || entries < 0) throw new TypeError(`entries must be a non-negative integer, got ${entries}`);
  const keys = await webcrypto.subtle.generateKey(RSA, false, ['sign', 'verify']);
  const now = new Date();
  const ca = await buildCaCertificate({
    kind: 'sign', keys, serialNumber: Uint8Array.of(1), notBefore: new Date(now.getTime() - 86_400_000), notAfter: new Date(now.getTime() + 10 * 365 * 86_400_000),
  });
  const list = syntheticEntries(entries, now);

  const started = performance.now();
  const der = await buildCrl({
    issuer: { certificate: new Uint8Array(ca.rawData), privateKey: keys.privateKey },
    thisUpdate: now, nextUpdate: new Date(now.getTime() + 86_400_000), crlNumber: 1n, entries: list,
  });
  const generateSeconds = (performance.now() - started) / 1000;

  const dir = mkdtempSync(join(tmpdir(), 'myna-bench-crl-'));
  let openssl: ReturnType<typeof opensslParse>;
  try {
    const file = join(dir, 'crl.der');
    writeFileSync(file, der);
    openssl = opensslParse(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(JSON.stringify({
    benchmark: 'jpki-crl', entries, generateSeconds: round(generateSeconds), bytes: der.byteLength,
    opensslParseSeconds: openssl ? round(openssl.seconds) : null, opensslParsed: openssl?.parsed ?? false,
    ...(openssl ? {} : { opensslSkipped: 'openssl not found: apt-get install -y openssl' }),
    targetSeconds: TARGET_SECONDS, pass: generateSeconds <= TARGET_SECONDS,
  }));
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
