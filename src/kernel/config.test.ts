// Configuration: defaults, validation with every problem at once, and docs/config.md kept in step with CONFIG_KEYS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadConfig, CONFIG_KEYS } from './config.ts';
import { PlatformError } from './errors.ts';

test('defaults give the embedded PGlite on port 8080 with the demo municipality', () => {
  const c = loadConfig({});
  assert.equal(c.port, 8080);
  assert.equal(c.databaseUrl, undefined);
  assert.equal(c.memory, false);
  assert.equal(c.demoMunicipality, '132047');
  assert.equal(c.numberingKey, undefined);
});

test('reports every invalid variable at once and never echoes the numbering key', () => {
  const secret = 'zz'.repeat(32);
  try {
    loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', MYNA_NUMBERING_KEY: secret, MYNA_JPKI_KEYSTORE_KEY: secret, MYNA_DEMO_MUNICIPALITY: '12' });
    assert.fail('expected an error');
  } catch (error) {
    assert.ok(error instanceof PlatformError);
    assert.equal(error.code, 'KERNEL_CONFIG_INVALID');
    const fields = (error.problems ?? []).map((p) => p.field).sort();
    assert.deepEqual(fields, ['LOG_LEVEL', 'MYNA_DEMO_MUNICIPALITY', 'MYNA_JPKI_KEYSTORE_KEY', 'MYNA_NUMBERING_KEY', 'PORT']);
    assert.ok(!JSON.stringify(error.problems).includes(secret));
    assert.ok(!(error.detail ?? '').includes(secret));
  }
});

test('a valid numbering key is decoded to 32 bytes', () => {
  const c = loadConfig({ MYNA_NUMBERING_KEY: 'ab'.repeat(32) });
  assert.equal(c.numberingKey?.length, 32);
});

test('docs/config.md documents exactly the variables the code reads', () => {
  const doc = readFileSync(new URL('../../docs/config.md', import.meta.url), 'utf8');
  const documented = [...doc.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]).sort();
  assert.deepEqual(documented, CONFIG_KEYS.map((k) => k.name).sort());
  for (const key of CONFIG_KEYS) {
    assert.ok(doc.includes(`| \`${key.name}\` | \`${key.default}\` |`) || (key.default === '' && doc.includes(`| \`${key.name}\` | (なし) |`)), `default of ${key.name} documented`);
  }
});
