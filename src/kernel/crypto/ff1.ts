// NIST SP 800-38G FF1 format-preserving encryption for decimal strings, batched over node:crypto AES.
//
// Why not @noble/ciphers' FF1 (which the tests use as a cross-check): it measured ~40 µs per
// 11-digit encryption here, i.e. 40 s for a million residents, while importing a million
// residents must take well under 60 s in total. FF1's PRF is a CBC-MAC over P || Q, where P is
// one block fixed by the key, tweak and length, and only the LAST block of Q varies with the
// round and the data. So with H = the CBC-MAC state before that last block (computed once per
// length), every round is R = AES_K(H xor Q_last), and one AES-ECB call over a whole batch does
// that round for every input at once: encryptMany measured ~0.6-1 µs per 11-digit input here
// (a million in under 1 s), 50-100x faster than one-at-a-time.
//
// Lengths are limited to 6..18 digits: 6 is SP 800-38G Rev. 1's minimum domain (10^6), and 18
// keeps each half ≤ 9 digits, so halves are exact Numbers and NUM_radix(B) fits the last 4
// bytes of Q. Tweaks may have any length; a long tweak only lengthens the constant prefix.
import { createCipheriv, type Cipher } from 'node:crypto';

/** FF1 with radix 10 over strings of 6..18 ASCII digits, one key and tweak. */
export interface Ff1Radix10 {
  encrypt(digits: string): string;
  decrypt(digits: string): string;
  /** Same result as `encrypt` on each element; inputs may have different lengths. */
  encryptMany(digits: readonly string[]): string[];
  /** Same result as `decrypt` on each element; inputs may have different lengths. */
  decryptMany(digits: readonly string[]): string[];
}

const MIN_LENGTH = 6;
const MAX_LENGTH = 18;
const ROUNDS = 10;
/**
 * Inputs per AES call: 16384 blocks are 256 KiB, which stays in cache and bounds memory for a
 * batch of any size; measured ~20% faster than one call over a million-input batch.
 */
const CHUNK = 16384;
const POW10 = Array.from({ length: 10 }, (_, i) => 10 ** i);

/** Per-length constants of the PRF; see the top comment. */
interface LengthContext {
  readonly u: number;
  readonly v: number;
  /** Bytes of NUM_radix(B) at the end of Q (2..4 for v ≤ 9). */
  readonly b: number;
  /** H xor (last block of Q with [i] and NUM_radix(B) zeroed), per round i already XORed in. */
  readonly roundBlocks: readonly Buffer[];
}

/**
 * Creates an FF1 (radix 10) cipher. The key is AES-128, -192 or -256 by its length.
 * @throws TypeError on a key that is not 16, 24 or 32 bytes; its methods throw TypeError on
 *   input that is not 6..18 ASCII digits (without repeating the input).
 */
export function createFf1Radix10(key: Uint8Array, tweak: Uint8Array): Ff1Radix10 {
  if (!(key instanceof Uint8Array) || ![16, 24, 32].includes(key.length)) {
    throw new TypeError('FF1: key must be 16, 24 or 32 bytes');
  }
  if (!(tweak instanceof Uint8Array)) throw new TypeError('FF1: tweak must be a Uint8Array');
  // ECB keeps no state between update() calls on whole blocks, so one Cipher serves every call.
  const cipher = createCipheriv(`aes-${key.length * 8}-ecb`, Buffer.from(key), null).setAutoPadding(false);
  const tweakCopy = Buffer.from(tweak);
  const contexts = new Map<number, LengthContext>();
  const contextFor = (n: number): LengthContext => {
    let context = contexts.get(n);
    if (!context) contexts.set(n, (context = lengthContext(cipher, tweakCopy, n)));
    return context;
  };

  const run = (inputs: readonly string[], decrypt: boolean): string[] => {
    const out = new Array<string>(inputs.length);
    for (const [n, indices] of groupByLength(inputs)) {
      const context = contextFor(n);
      for (let start = 0; start < indices.length; start += CHUNK) {
        const chunk = indices.slice(start, start + CHUNK);
        const results = runChunk(cipher, context, inputs, chunk, decrypt);
        for (let j = 0; j < chunk.length; j++) out[chunk[j]!] = results[j]!;
      }
    }
    return out;
  };

  return {
    encrypt: (digits) => run([digits], false)[0]!,
    decrypt: (digits) => run([digits], true)[0]!,
    encryptMany: (digits) => run(digits, false),
    decryptMany: (digits) => run(digits, true),
  };
}

function groupByLength(inputs: readonly string[]): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < inputs.length; i++) {
    const s = inputs[i];
    if (typeof s !== 'string' || s.length < MIN_LENGTH || s.length > MAX_LENGTH) {
      throw new TypeError(`FF1: input ${i} must be a string of ${MIN_LENGTH}..${MAX_LENGTH} digits`);
    }
    let group = groups.get(s.length);
    if (!group) groups.set(s.length, (group = []));
    group.push(i);
  }
  return groups;
}

/** Steps 1-5 of FF1.Encrypt, plus the CBC-MAC of P and of Q's constant leading blocks. */
function lengthContext(ecb: Cipher, tweak: Buffer, n: number): LengthContext {
  const u = Math.floor(n / 2);
  const v = n - u;
  let b = 1;
  while (256 ** b < 10 ** v) b++;
  const t = tweak.length;
  // P = [1]1 || [2]1 || [1]1 || [radix]3 || [10]1 || [u mod 256]1 || [n]4 || [t]4
  const p = Buffer.from([1, 2, 1, 0, 0, 10, 10, u % 256, 0, 0, 0, 0, 0, 0, 0, 0]);
  p.writeUInt32BE(n, 8);
  p.writeUInt32BE(t, 12);
  // Q = T || [0]((−t−b−1) mod 16) || [i]1 || [NUM_radix(B)]b, here with i and B zero.
  const q = Buffer.alloc(t + ((((-t - b - 1) % 16) + 16) % 16) + 1 + b);
  tweak.copy(q);
  const prefix = Buffer.concat([p, q.subarray(0, q.length - 16)]);
  let h: Buffer = Buffer.alloc(16);
  for (let off = 0; off < prefix.length; off += 16) {
    h = ecb.update(xor16(h, prefix.subarray(off, off + 16)));
  }
  const last = xor16(h, q.subarray(q.length - 16));
  const roundBlocks = Array.from({ length: ROUNDS }, (_, i) => {
    const block = Buffer.from(last);
    block[15 - b]! ^= i;
    return block;
  });
  return { u, v, b, roundBlocks };
}

function xor16(a: Uint8Array, b: Uint8Array): Buffer {
  const out = Buffer.alloc(16);
  for (let i = 0; i < 16; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

/** Parses digits[from, to) into a Number; -1 on a non-digit. Halves have ≤ 9 digits, so it is exact. */
function parseDigits(s: string, from: number, to: number): number {
  let value = 0;
  for (let k = from; k < to; k++) {
    const d = s.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/**
 * Step 6 for a chunk of equal-length inputs: ten rounds, each one AES-ECB call over the chunk.
 * Decryption (FF1.Decrypt) runs the rounds backwards, feeds A instead of B to the PRF and
 * subtracts instead of adding.
 */
function runChunk(
  ecb: Cipher,
  { u, v, b, roundBlocks }: LengthContext,
  inputs: readonly string[],
  indices: readonly number[],
  decrypt: boolean,
): string[] {
  const count = indices.length;
  // A and B as in SP 800-38G: the first u and the last v digits, as exact Numbers (< 10^9).
  let a = new Int32Array(count);
  let bHalf = new Int32Array(count);
  let c = new Int32Array(count);
  for (let j = 0; j < count; j++) {
    const s = inputs[indices[j]!]!;
    a[j] = parseDigits(s, 0, u);
    bHalf[j] = parseDigits(s, u, u + v);
    if (a[j]! < 0 || bHalf[j]! < 0) throw new TypeError(`FF1: input ${indices[j]} must contain ASCII digits only`);
  }

  const blocks = Buffer.allocUnsafe(count * 16);
  const view = new DataView(blocks.buffer, blocks.byteOffset, blocks.byteLength);
  // NUM_radix(B) < 10^v ≤ 256^b, so XORing it onto the block's last 4 bytes touches only the
  // b bytes that Q reserves for it.
  for (let step = 0; step < ROUNDS; step++) {
    const i = decrypt ? ROUNDS - 1 - step : step;
    const template = roundBlocks[i]!;
    const constantTail = template.readUInt32BE(12);
    blocks.fill(template);
    // Q carries B when encrypting, A when decrypting (FF1.Decrypt step 6i).
    const fed = decrypt ? a : bHalf;
    for (let j = 0; j < count; j++) {
      view.setUint32(j * 16 + 12, (constantTail ^ fed[j]!) >>> 0);
    }
    const r = ecb.update(blocks);
    const rView = new DataView(r.buffer, r.byteOffset, r.byteLength);
    const m = i % 2 === 0 ? u : v;
    const modulus = POW10[m]!;
    const k48 = 2 ** 48 % modulus;
    const k32 = 2 ** 32 % modulus;
    const other = decrypt ? bHalf : a;
    for (let j = 0; j < count; j++) {
      // y = NUM(S), S = R's first 8 bytes (d = 8 for b ≤ 4), as hi16 · 2^48 + mid16 · 2^32 + lo32
      // so that x ≡ y (mod 10^m) stays below 2^47, an exact Number. floor(x / 10^m) is then
      // exact too: its rounding error is under x · 2^-53 / 10^m < 1 / 10^m, the gap to the
      // next integer whenever x is not a multiple of 10^m.
      const hi = rView.getUint32(j * 16);
      const x = (hi >>> 16) * k48 + (hi & 0xffff) * k32 + rView.getUint32(j * 16 + 4);
      const y = x - Math.floor(x / modulus) * modulus;
      // Step 6vi: c = (NUM(A) + y) mod 10^m, or (NUM(B) − y) mod 10^m when decrypting.
      let next = decrypt ? other[j]! - y : other[j]! + y;
      if (next < 0) next += modulus;
      else if (next >= modulus) next -= modulus;
      c[j] = next;
    }
    // Encrypt: A ← B, B ← C. Decrypt: B ← A, A ← C. The retired array is reused for the next C.
    if (decrypt) [bHalf, a, c] = [a, c, bHalf];
    else [a, bHalf, c] = [bHalf, c, a];
  }

  // Ten rounds (an even number) leave A with u digits and B with v, whichever the direction.
  const out = new Array<string>(count);
  for (let j = 0; j < count; j++) {
    out[j] = String(a[j]).padStart(u, '0') + String(bHalf[j]).padStart(v, '0');
  }
  return out;
}
