// Benchmark: the virtual card's READ BINARY and COMPUTE DIGITAL SIGNATURE in process (engine and async transport), against an empty async round trip and node's crypto.sign, same run.
//
// Run: `node bin/run-ts.js bench/card-engine.bench.ts` (or BENCH_ONLY=card-engine through bench/run.ts).
// Scale with BENCH_CARD_READS (100,000 timed READ BINARY per path) and BENCH_CARD_SIGNATURES (400 per path).
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { AID, FID, blankCardImage, createVirtualCard, inProcessTransport, type VirtualCard } from '../src/modules/card/index.ts';

const READ_TARGET_P50_MS = 0.2;
const SIGN_TARGET_P50_MS = 5;
/** Timed in interleaved rounds, so that drift of a shared 2-core machine hits every path alike. */
const ROUNDS = 10;

type CardImage = ReturnType<typeof blankCardImage>;
type CardFile = CardImage['applications'][number]['files'][number];

function file<T extends CardFile['type']>(image: CardImage, app: string, fid: number, type: T): Extract<CardFile, { type: T }> {
  const found = image.applications.find((a) => a.name === app)?.files.find((f) => f.fid === fid);
  if (!found || found.type !== type) throw new Error(`no ${type} EF ${app}/${fid.toString(16)}`);
  return found as Extract<CardFile, { type: T }>;
}

/**
 * An issued chip with a real RSA-2048 auth key and a 1,571-byte certificate EF (the real card's
 * size, spec §5.1). The module exports no personalisation commands, so the bench writes the image
 * the way J-LIS's production would leave it; the engine cannot tell the difference.
 */
function issuedCard(privateKey: KeyObject): VirtualCard {
  const image = blankCardImage();
  const certificate = new Uint8Array(1571);
  certificate.set([0x30, 0x82, 0x06, 0x1f]);
  for (let i = 4; i < certificate.length; i++) certificate[i] = (i * 131) & 0xff;
  file(image, 'jpki', FID.jpki.authCertificate, 'binary').data = certificate;
  file(image, 'jpki', FID.jpki.authKey, 'key').privateKey = privateKey;
  const pin = file(image, 'jpki', FID.jpki.authPin, 'pin');
  pin.value = new Uint8Array(Buffer.from('1234', 'ascii'));
  image.phase = 'issued';
  return createVirtualCard(image);
}

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/\s/g, ''), 'hex'));
const SELECT_JPKI = Uint8Array.from([0x00, 0xa4, 0x04, 0x0c, AID.jpki.length, ...AID.jpki]);

function expectOk(response: Uint8Array, what: string, length?: number): void {
  const sw = (response[response.length - 2]! << 8) | response[response.length - 1]!;
  if (sw !== 0x9000 || (length !== undefined && response.length !== length + 2)) throw new Error(`${what}: ${Buffer.from(response).toString('hex')}`);
}

/** Percentile of sorted samples (nearest rank). */
function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function summary(samples: number[]): { p50Ms: number; p99Ms: number; samples: number } {
  const sorted = Float64Array.from(samples).sort();
  return { p50Ms: round(percentile(sorted, 50)), p99Ms: round(percentile(sorted, 99)), samples: samples.length };
}

function round(ms: number): number {
  return Math.round(ms * 1e6) / 1e6;
}

/** Times `count` sequential calls of an async operation, one sample each. */
async function timeAsync(count: number, operation: () => Promise<unknown>, into: number[]): Promise<void> {
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await operation();
    into.push(performance.now() - t);
  }
}

function timeSync(count: number, operation: () => unknown, into: number[]): void {
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    operation();
    into.push(performance.now() - t);
  }
}

/**
 * READ BINARY of 256 certificate bytes (`00 B0 01 00 00`, OpenSC's chunk) and COMPUTE DIGITAL
 * SIGNATURE of a SHA-256 DigestInfo, each through the engine's synchronous transmit and through
 * inProcessTransport's async transmit (what the card SDK awaits), one JSON line.
 */
export async function runCardEngineBenchmark(): Promise<void> {
  const reads = Number(process.env['BENCH_CARD_READS'] ?? 100_000);
  const signatures = Number(process.env['BENCH_CARD_SIGNATURES'] ?? 400);
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
  const card = issuedCard(privateKey);
  const transport = inProcessTransport(card);

  // Session: the AP, the certificate EF current; the auth PIN verified, so signing is allowed.
  expectOk(card.transmit(SELECT_JPKI), 'SELECT AP');
  expectOk(card.transmit(hex('00 A4 02 0C 02 00 18')), 'SELECT PIN EF');
  expectOk(card.transmit(hex('00 20 00 80 04 31 32 33 34')), 'VERIFY');
  expectOk(card.transmit(hex('00 A4 02 0C 02 00 0A')), 'SELECT certificate EF');
  const readBinary = hex('00 B0 01 00 00');
  expectOk(card.transmit(readBinary), 'READ BINARY', 256);
  // Short-id addressing of the key (80 2A 00 97): no SELECT needed, and the certificate EF stays current.
  const message = Buffer.from('card-engine bench');
  const digestInfo = Buffer.concat([hex('30 31 30 0D 06 09 60 86 48 01 65 03 04 02 01 05 00 04 20'), createHash('sha256').update(message).digest()]);
  const signCommand = Uint8Array.from([0x80, 0x2a, 0x00, 0x97, digestInfo.length, ...digestInfo, 0x00]);
  expectOk(card.transmit(signCommand), 'COMPUTE DIGITAL SIGNATURE', 256);

  const emptyAsync = async (): Promise<Uint8Array> => readBinary;
  const read = { engine: [] as number[], transport: [] as number[], reference: [] as number[] };
  const signed = { engine: [] as number[], transport: [] as number[], reference: [] as number[] };
  // Warm-up: JIT and the key's first use (OpenSSL's blinding set-up) are not what is measured.
  timeSync(2000, () => card.transmit(readBinary), []);
  await timeAsync(2000, () => transport.transmit(readBinary), []);
  await timeAsync(2000, emptyAsync, []);
  for (let i = 0; i < 10; i++) { card.transmit(signCommand); sign('sha256', message, privateKey); }

  for (let round = 0; round < ROUNDS; round++) {
    const n = Math.ceil(reads / ROUNDS);
    timeSync(n, () => card.transmit(readBinary), read.engine);
    await timeAsync(n, () => transport.transmit(readBinary), read.transport);
    await timeAsync(n, emptyAsync, read.reference);
    const s = Math.ceil(signatures / ROUNDS);
    timeSync(s, () => card.transmit(signCommand), signed.engine);
    await timeAsync(s, () => transport.transmit(signCommand), signed.transport);
    // The reference hashes too (crypto.sign), so it does a little more than the card, which only pads.
    timeSync(s, () => sign('sha256', message, privateKey), signed.reference);
  }
  expectOk(await transport.transmit(readBinary), 'READ BINARY after the run', 256);

  const readResult = { engine: summary(read.engine), transport: summary(read.transport) };
  const signResult = { engine: summary(signed.engine), transport: summary(signed.transport) };
  const readPass = readResult.transport.p50Ms < READ_TARGET_P50_MS;
  const signPass = signResult.transport.p50Ms < SIGN_TARGET_P50_MS;
  console.log(JSON.stringify({
    bench: 'card-engine',
    readBinary: {
      command: '00 B0 01 00 00 (256 bytes)', ...readResult,
      reference: { name: 'empty async function round trip', ...summary(read.reference) },
      target: { p50Ms: READ_TARGET_P50_MS }, pass: readPass,
    },
    sign: {
      command: '80 2A 00 97 33 <SHA-256 DigestInfo> 00 (RSA-2048)', ...signResult,
      reference: { name: "node crypto.sign('sha256') RSA-2048", ...summary(signed.reference) },
      target: { p50Ms: SIGN_TARGET_P50_MS }, pass: signPass,
    },
    pass: readPass && signPass,
  }));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runCardEngineBenchmark();
