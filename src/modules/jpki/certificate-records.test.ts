// Serial numbers as people type them map to the stored minimal-octet hex.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseSerialHex } from './certificate-records.ts';

test('serials normalise to minimal octets in lower-case hex, keeping a leading zero nibble', () => {
  assert.equal(normaliseSerialHex('05AB'), '05ab');
  assert.equal(normaliseSerialHex('5ab'), '05ab');
  assert.equal(normaliseSerialHex('00:05:ab'), '05ab');
  assert.equal(normaliseSerialHex('7F01'), '7f01');
  assert.equal(normaliseSerialHex('xyz'), undefined);
  assert.equal(normaliseSerialHex(''), undefined);
  assert.equal(normaliseSerialHex('1'.repeat(41)), undefined);
});
