// Seeded randomness for the fuzz tests (sfc32): the same seed gives the same inputs, so a failure replays exactly.

/** A seeded generator. */
export interface SeededRandom {
  /** 0 ≤ n < 2³². */
  u32(): number;
  /** 0 ≤ x < 1. */
  next(): number;
  /** 0 ≤ n < below. */
  int(below: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  bytes(n: number): Uint8Array;
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Chaotic generator, public domain): a few integer
 * operations a number, so a million-case fuzz run spends its time in the code under test.
 *
 * @example
 * const random = seededRandom(Number(process.env['FUZZ_SEED'] ?? 1));
 * const apdu = random.bytes(4 + random.int(12));
 */
export function seededRandom(seed: number): SeededRandom {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const u32 = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 16; i++) u32();
  const next = () => u32() / 2 ** 32;
  const int = (below: number) => Math.floor(next() * below);
  return {
    u32, next, int,
    chance: (p) => u32() < p * 2 ** 32,
    pick: (items) => items[int(items.length)]!,
    bytes(n) {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = u32() & 0xff;
      return out;
    },
  };
}
