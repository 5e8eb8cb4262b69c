// The reference-data cache: one load per key while fresh, shared by concurrent callers, dropped on invalidation, expiry or failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createReferenceDataCache } from './reference-data-cache.ts';

test('concurrent and later reads share one load until invalidated by prefix', async () => {
  const cache = createReferenceDataCache();
  let loads = 0;
  const load = async () => { loads++; await sleep(5); return { loads }; };
  const [a, b] = await Promise.all([cache.get('offers:132047', load), cache.get('offers:132047', load)]);
  assert.equal(a, b);
  assert.deepEqual(await cache.get('offers:132047', load), { loads: 1 });
  await cache.get('offers:131016', load);
  assert.equal(loads, 2);
  cache.invalidate('offers:1320');
  assert.deepEqual(await cache.get('offers:132047', load), { loads: 3 });
  assert.deepEqual(await cache.get('offers:131016', load), { loads: 2 }, 'another key stays');
});

test('a value expires after its time to live, and a failed load is tried again', async () => {
  const cache = createReferenceDataCache({ ttlMs: 30 });
  let loads = 0;
  await cache.get('k', async () => ++loads);
  await sleep(60);
  assert.equal(await cache.get('k', async () => ++loads), 2);
  await assert.rejects(cache.get('broken', async () => { throw new Error('database unavailable'); }));
  assert.equal(await cache.get('broken', async () => 'ok'), 'ok');
});
