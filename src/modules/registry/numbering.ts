// Issues 住民票コード and 個人番号: keyed format-preserving permutations of counters, so never a collision.
//
// 住民票コード: "assigned at random, never reused". The registry keeps a counter; sequence
// number s (0 ≤ s < 10^10) becomes FF1_codeKey(s as 10 digits) + check digit. FF1 is a
// permutation of the 10-digit space, so distinct sequence numbers give distinct codes with no
// lookup, and without the key the codes look random and reveal neither the order of
// registration nor how many people are registered.
//
// 個人番号: FF1_numberKey(code body (10 digits) || generation (1 digit)) + check digit, the
// generation being 0 for a first number and +1 each time a leaked number is replaced
// (番号法 第7条第2項). Because the generation is part of the PLAINTEXT, every (person,
// generation) pair is a distinct point of one 11-digit domain, and FF1 being a permutation of
// that domain, no two pairs ever share a number: a replacement number can never equal any
// number ever issued before, to this person or anyone else. (Changing the TWEAK per generation,
// as the spec first suggested, would use a different permutation per generation and give no
// such guarantee across generations.) Going back from a number to the 住民票コード needs the
// key; without it a number is the output of an AES-based pseudo-random permutation, from which
// neither the code nor the generation can be computed (the one-way derivation of 番号法 第8条).
// One digit of generation allows nine replacements per person, far beyond what leaks have
// required. The check digits are appended after encryption and carry no information.
import { hkdfSync } from 'node:crypto';
import { createFf1Radix10 } from '../../kernel/crypto/ff1.ts';
import {
  individualNumberCheckDigit,
  isValidResidentCode,
  residentCodeCheckDigit,
} from '../../kernel/ids/check-digits.ts';

/** The two FF1 keys of the registry's numbering, derived from one master key. */
export interface NumberingKeys {
  /** AES-256 key of the 住民票コード permutation. */
  readonly residentCode: Uint8Array;
  /** AES-256 key of the 個人番号 permutation. */
  readonly individualNumber: Uint8Array;
}

// Fixed labels: changing one re-keys every number ever issued, so they are versioned, not configurable.
const HKDF_SALT = Buffer.from('myna-platform/registry/numbering');
const INFO_RESIDENT_CODE = Buffer.from('resident-code/v1');
const INFO_INDIVIDUAL_NUMBER = Buffer.from('individual-number/v1');
const NO_TWEAK = new Uint8Array(0);
const SEQUENCE_LIMIT = 10 ** 10;

/**
 * Derives the two numbering keys from the master key (HKDF-SHA256, distinct info labels, so the
 * two permutations are independent).
 * @throws TypeError when the master key is shorter than 16 bytes.
 */
export function deriveNumberingKeys(masterKey: Uint8Array): NumberingKeys {
  if (!(masterKey instanceof Uint8Array) || masterKey.length < 16) {
    throw new TypeError('numbering: the master key must be at least 16 bytes');
  }
  const derive = (info: Buffer) => new Uint8Array(hkdfSync('sha256', masterKey, HKDF_SALT, info, 32));
  return { residentCode: derive(INFO_RESIDENT_CODE), individualNumber: derive(INFO_INDIVIDUAL_NUMBER) };
}

/**
 * The 住民票コード (11 digits) of sequence numbers firstSeq .. firstSeq + count − 1, in order.
 * Distinct sequence numbers always give distinct codes, so callers only need to never reuse one.
 * @throws TypeError when the range is not within 0 .. 10^10 − 1 or count is negative.
 */
export function residentCodesFromSequence(keys: NumberingKeys, firstSeq: number, count: number): string[] {
  if (!Number.isSafeInteger(firstSeq) || !Number.isSafeInteger(count) || firstSeq < 0 || count < 0 || firstSeq + count > SEQUENCE_LIMIT) {
    throw new TypeError('numbering: resident code sequence numbers must lie in 0..10^10-1');
  }
  const plain = Array.from({ length: count }, (_, i) => String(firstSeq + i).padStart(10, '0'));
  const bodies = createFf1Radix10(keys.residentCode, NO_TWEAK).encryptMany(plain);
  return bodies.map((body) => body + residentCodeCheckDigit(body));
}

/**
 * The 個人番号 (12 digits) of each 住民票コード at the given generation (0 = first number, +1 per
 * replacement after a leak), in order. One-to-one over all (code, generation) pairs; see the top
 * of this file.
 * @throws TypeError on a generation outside 0..9 or an invalid 住民票コード (by index only: the
 *   code itself is personal data and stays out of the message).
 */
export function individualNumbersFor(keys: NumberingKeys, residentCodes: readonly string[], generation: number): string[] {
  if (!Number.isInteger(generation) || generation < 0 || generation > 9) {
    throw new TypeError('numbering: generation must be an integer 0..9');
  }
  const plain = residentCodes.map((code, i) => {
    if (!isValidResidentCode(code)) throw new TypeError(`numbering: resident code at index ${i} is invalid`);
    return code.slice(0, 10) + generation;
  });
  const bodies = createFf1Radix10(keys.individualNumber, NO_TWEAK).encryptMany(plain);
  return bodies.map((body) => body + individualNumberCheckDigit(body));
}
