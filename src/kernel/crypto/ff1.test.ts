// FF1 against the NIST SP 800-38G samples and, on random inputs, against @noble/ciphers' FF1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { FF1 } from '@noble/ciphers/ff1.js';
import { createFf1Radix10 } from './ff1.ts';

interface NistSample {
  sample: number;
  aes: number;
  key: string;
  tweak: string;
  plaintext: string;
  ciphertext: string;
}
const { samples } = JSON.parse(
  readFileSync(new URL('../../../test/vectors/ff1-nist-sp800-38g.json', import.meta.url), 'utf8'),
) as { samples: NistSample[] };

function randomDigits(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += String(randomInt(10));
  return out;
}

test('NIST SP 800-38G FF1 radix-10 samples 1, 2, 4, 5, 7, 8', () => {
  assert.deepEqual(samples.map((s) => s.sample), [1, 2, 4, 5, 7, 8]);
  for (const s of samples) {
    const key = Buffer.from(s.key, 'hex');
    assert.equal(key.length * 8, s.aes, `sample ${s.sample} key size`);
    const ff1 = createFf1Radix10(key, Buffer.from(s.tweak, 'hex'));
    assert.equal(ff1.encrypt(s.plaintext), s.ciphertext, `sample ${s.sample} encrypt`);
    assert.equal(ff1.decrypt(s.ciphertext), s.plaintext, `sample ${s.sample} decrypt`);
  }
});

test('decrypt inverts encrypt for every supported length, key size and assorted tweak lengths', () => {
  for (const keyLength of [16, 24, 32]) {
    for (const tweakLength of [0, 1, 5, 11, 12, 16, 31, 40]) {
      const ff1 = createFf1Radix10(randomBytes(keyLength), randomBytes(tweakLength));
      for (let n = 6; n <= 18; n++) {
        const inputs = Array.from({ length: 20 }, () => randomDigits(n));
        const encrypted = ff1.encryptMany(inputs);
        for (const c of encrypted) assert.match(c, new RegExp(`^[0-9]{${n}}$`));
        assert.deepEqual(ff1.decryptMany(encrypted), inputs, `key ${keyLength}, tweak ${tweakLength}, n ${n}`);
      }
    }
  }
});

test('encryptMany and decryptMany equal encrypt and decrypt one by one, across chunk boundaries and mixed lengths', () => {
  const ff1 = createFf1Radix10(randomBytes(32), randomBytes(9));
  const inputs = Array.from({ length: 40_000 }, (_, i) => randomDigits(i % 97 === 0 ? 6 + (i % 13) : 11));
  const batch = ff1.encryptMany(inputs);
  for (let i = 0; i < inputs.length; i += 37) assert.equal(batch[i], ff1.encrypt(inputs[i]!), `index ${i}`);
  const back = ff1.decryptMany(batch);
  assert.deepEqual(back, inputs);
  for (let i = 0; i < inputs.length; i += 41) assert.equal(ff1.decrypt(batch[i]!), inputs[i], `index ${i}`);
  assert.deepEqual(ff1.encryptMany([]), []);
});

test('agrees with @noble/ciphers FF1 on 300 random 11-digit inputs with random keys and tweaks', () => {
  for (let k = 0; k < 300; k++) {
    const key = randomBytes([16, 24, 32][k % 3]!);
    const tweak = randomBytes(randomInt(0, 33));
    const input = randomDigits(11);
    const expected = FF1(10, key, tweak).encrypt([...input].map(Number)).join('');
    assert.equal(createFf1Radix10(key, tweak).encrypt(input), expected, `case ${k}`);
  }
});

test('agrees with @noble/ciphers FF1 at every supported length 6..18', () => {
  for (let n = 6; n <= 18; n++) {
    for (let k = 0; k < 5; k++) {
      const key = randomBytes(16);
      const tweak = randomBytes(randomInt(0, 20));
      const input = randomDigits(n);
      const expected = FF1(10, key, tweak).encrypt([...input].map(Number)).join('');
      assert.equal(createFf1Radix10(key, tweak).encrypt(input), expected, `n ${n}`);
    }
  }
});

test('is a permutation: all 10^6 six-digit inputs map to distinct outputs', () => {
  const ff1 = createFf1Radix10(randomBytes(16), new Uint8Array(0));
  const inputs = Array.from({ length: 1_000_000 }, (_, i) => String(i).padStart(6, '0'));
  assert.equal(new Set(ff1.encryptMany(inputs)).size, 1_000_000);
});

test('caller misuse throws TypeError without echoing the input', () => {
  assert.throws(() => createFf1Radix10(randomBytes(15), new Uint8Array(0)), TypeError);
  assert.throws(() => createFf1Radix10(randomBytes(64), new Uint8Array(0)), TypeError);
  const ff1 = createFf1Radix10(randomBytes(16), new Uint8Array(0));
  for (const bad of ['12345', '1234567890123456789', '12345678901a', '１２３４５６７８９０１', '123 456 789']) {
    assert.throws(() => ff1.encrypt(bad), (e: unknown) => e instanceof TypeError && !e.message.includes(bad), bad);
    assert.throws(() => ff1.decryptMany(['123456', bad]), TypeError, bad);
  }
});
