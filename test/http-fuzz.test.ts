// Every operation in the OpenAPI document, fed schema-shaped and hostile input with every kind of credential: never a
// 5xx, every error a documented application/problem+json, and a person's individual number in no error and no log line.
// FUZZ_SEED replays a run; FUZZ_ROUNDS sets the requests per operation (default 24); FUZZ_TRACE=1 prints each request
// (the individual number masked) before it is sent, to find one that crashes or hangs the process.
import 'reflect-metadata';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { generateSync } from 'json-schema-faker';
import { createTestPlatform, type TestPlatform } from './support/test-platform.ts';
import { newResident } from './support/jpki-fixtures.ts';
import { issuedVirtualCard } from './support/vpcd-card.ts';
import { seededRandom, type SeededRandom } from './support/seeded-random.ts';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20261124);
const ROUNDS = Number(process.env['FUZZ_ROUNDS'] ?? 24);
const PINS = { auth: '2580', sign: 'FUZZ2026', kenhojo: '1470', juki: '3690' };
/** 12:00 JST on a weekday: the コンビニ交付 service is open. */
const NOON = '2026-11-24T03:00:00Z';
const OPS_TOKEN = 'fuzz-operator-token-0123456789abcdef';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Operation { method: string; path: string; op: Record<string, any> }
interface Sent { method: string; url: string; headers: Record<string, string>; payload?: string }

/** Codes docs/errors.md lists (errors-doc.test.ts keeps it equal to the code's catalogues). */
const DOCUMENTED = new Set([...readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8').matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]!));

/** Every UTF-8 byte percent-encoded (encodeURIComponent throws on a lone surrogate; the bytes carry U+FFFD instead). */
const percentEncoded = (text: string) => [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

/**
 * The schema with its string lengths and array sizes capped (200 characters, 5 items), so a sample
 * stays small: a photo's 3,000,000-character limit times a batch's 1,000 items would fill the heap.
 */
function bounded(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(bounded);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, bounded(value)]));
  if (typeof out['maxLength'] === 'number') out['maxLength'] = Math.min(out['maxLength'], Math.max(200, Number(out['minLength'] ?? 0)));
  if (typeof out['maxItems'] === 'number') out['maxItems'] = Math.min(out['maxItems'], Math.max(5, Number(out['minItems'] ?? 0)));
  return out;
}

/**
 * The routes in Fastify's printRoutes() tree (`├── /path (GET, POST)`, children indented by four
 * characters a level, their paths relative to the parent's). The operator routes are hidden from
 * the OpenAPI document, so this is how the fuzzer finds them.
 */
function routesOfTree(tree: string): { method: string; path: string }[] {
  const parents: string[] = [];
  const routes: { method: string; path: string }[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    parents.length = depth;
    const path = (parents[depth - 1] ?? '') + match[2]!;
    parents[depth] = path;
    for (const method of (match[3] ?? '').split(', ').filter((m) => m !== '' && m !== 'HEAD')) routes.push({ method, path });
  }
  return routes;
}

/** A version-4 UUID from the seeded generator, so that FUZZ_SEED replays a run to the byte. */
function uuidFrom(random: SeededRandom): string {
  const bytes = random.bytes(16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Text with its JSON `\\uXXXX` and URL `%XX` escapes decoded wherever they decode. */
function readable(text: string): string {
  const unJson = text.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return unJson.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/** Full-width digits, as a person might type the number into a form. */
const fullWidth = (digits: string) => digits.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));

describe('HTTP API fuzz: schema-shaped and hostile input on every operation', () => {
  let t: TestPlatform;
  let spec: { paths: Record<string, Record<string, any>>; components?: unknown };
  /** The secret planted everywhere: a real resident's individual number. */
  let individualNumber = '';
  const credentials: Record<string, string | undefined> = {};
  const pool: Record<string, string[]> = {};

  before(async () => {
    t = await createTestPlatform({ opsToken: OPS_TOKEN });
    t.clock.set(NOON);
    await t.platform.jpki.initCertificateAuthorities();
    credentials['kiosk'] = (await t.platform.issuance.setUpDemo(t.lgCode)).kioskCredential;
    credentials['verifier'] = (await t.platform.jpki.registerVerifier({ name: 'ファズ検証者', kind: 'signature' })).credential;
    credentials['staff'] = t.apiKey;
    credentials['otherStaff'] = t.otherApiKey;
    credentials['centre'] = await t.platform.issuance.centreToken();
    const resident = await newResident(t);
    individualNumber = resident.individualNumber;
    const card = await issuedVirtualCard(t, PINS);
    const session = await t.app.inject({
      method: 'POST', url: '/issuance/centre/v1/sessions',
      headers: { authorization: `Bearer ${credentials['kiosk']}`, 'idempotency-key': randomUUID() },
    });
    assert.equal(session.statusCode, 201, session.body);
    // Real identifiers, so that some requests get past "not found" into the use case itself.
    pool['id'] = [resident.id, resident.householdId, card.cardId];
    pool['sessionId'] = [session.json().sessionId];
    pool['lgCode'] = [t.lgCode, t.otherLgCode];
    pool['fiscalYear'] = ['2025', '2026'];
    pool['copy'] = ['1', '2'];
    spec = t.app.swagger() as typeof spec;
  });
  after(() => t.close());

  /** Hostile strings: empty, huge, control and lone-surrogate characters, path tricks, SQL, the planted number. */
  function hostileString(random: SeededRandom): string {
    const choices = [
      '', ' ', 'a'.repeat(10_000), '\u0000', '\u202e\u0301', '\ud800', '../../etc/passwd', "'; DROP TABLE x; --", '%00%ff',
      '０１２３', '𠮷野家', '1e309', '-0', '2026-02-30', '2026-13-01T25:61:00Z', '9'.repeat(40), uuidFrom(random),
      individualNumber, fullWidth(individualNumber), `${individualNumber.slice(0, 4)}-${individualNumber.slice(4, 8)}-${individualNumber.slice(8)}`,
      Buffer.from(random.bytes(1 + random.int(64))).toString('latin1'),
    ];
    return random.pick(choices);
  }

  function hostileValue(random: SeededRandom, depth = 0): Json {
    switch (random.int(depth > 3 ? 7 : 9)) {
      case 0: return null;
      case 1: return random.chance(0.5);
      case 2: return random.pick([0, -1, 1.5, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 1e308, Number(individualNumber)]);
      case 3: case 4: case 5: return hostileString(random);
      case 6: return [];
      case 7: return Array.from({ length: 1 + random.int(4) }, () => hostileValue(random, depth + 1));
      default: return Object.fromEntries(Array.from({ length: 1 + random.int(4) }, () => [random.pick(['id', 'type', '__proto__', 'constructor', hostileString(random).slice(0, 20)]), hostileValue(random, depth + 1)]));
    }
  }

  /** A value valid for `schema` (json-schema-faker), or undefined when it cannot make one. */
  function shaped(schema: unknown, random: SeededRandom): Json | undefined {
    try {
      return generateSync({ ...(bounded(schema) as object), components: bounded(spec.components) } as never, { seed: random.u32(), maxDepth: 4 } as never) as Json;
    } catch {
      return undefined;
    }
  }

  /** The same value with one field somewhere in it replaced, removed or added. */
  function mutate(value: Json | undefined, random: SeededRandom): Json {
    if (value === undefined || value === null || typeof value !== 'object') return hostileValue(random);
    const copy = structuredClone(value) as Json[] | { [key: string]: Json };
    const keys = Object.keys(copy);
    const key = keys.length > 0 && random.chance(0.8) ? random.pick(keys) : hostileString(random).slice(0, 30);
    const current = (copy as Record<string, Json>)[key];
    if (current !== null && typeof current === 'object' && random.chance(0.5)) (copy as Record<string, Json>)[key] = mutate(current, random);
    else if (random.chance(0.15)) delete (copy as Record<string, Json>)[key];
    else (copy as Record<string, Json>)[key] = hostileValue(random);
    return copy;
  }

  function pathValue(name: string, random: SeededRandom): string {
    const real = pool[name];
    if (real && random.chance(0.6)) return random.pick(real);
    return random.chance(0.5) ? random.pick([uuidFrom(random), '0', '99999999999', '%E3%81', '..%2F..', '%00', 'x'.repeat(3000)]) : percentEncoded(hostileString(random));
  }

  function credentialHeaders(op: Record<string, any>, random: SeededRandom): Record<string, string> {
    const schemes = (op['security'] ?? [{ staffApiKey: [] }]).flatMap((s: object) => Object.keys(s)) as string[];
    const wanted = schemes.length > 0 && random.chance(0.7) ? random.pick(schemes) : random.pick(['staffApiKey', 'verifierKey', 'kioskCredential', 'centre', 'none', 'garbage']);
    switch (wanted) {
      case 'staffApiKey': return { authorization: `Bearer ${credentials[random.chance(0.8) ? 'staff' : 'otherStaff']}` };
      case 'verifierKey': return { 'x-jpki-verifier-key': credentials['verifier']! };
      case 'kioskCredential': return { authorization: `Bearer ${credentials['kiosk']}` };
      // The centre's credential at the municipal certificate servers (not in the OpenAPI security list).
      case 'centre': return { authorization: `Bearer ${credentials['centre']}` };
      case 'garbage': return random.chance(0.5) ? { authorization: `Bearer ${hostileString(random).replace(/[^\x21-\x7e]/g, '')}` } : { 'x-jpki-verifier-key': individualNumber };
      default: return {};
    }
  }

  function request(operation: Operation, random: SeededRandom): Sent {
    const { method, op } = operation;
    const parameters = (op['parameters'] ?? []) as { in: string; name: string; schema?: unknown }[];
    let url = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => pathValue(name, random));
    const query = new URLSearchParams();
    for (const p of parameters.filter((p) => p.in === 'query')) {
      if (random.chance(0.3)) continue;
      const value = random.chance(0.6) ? shaped(p.schema, random) : hostileValue(random);
      query.append(p.name, typeof value === 'string' ? value : JSON.stringify(value));
    }
    if (random.chance(0.1)) query.append(hostileString(random).slice(0, 20) || 'x', hostileString(random).slice(0, 200));
    if ([...query].length > 0) url += `?${query}`;
    const headers: Record<string, string> = { ...credentialHeaders(op, random) };
    if (method === 'POST' || method === 'PUT') {
      if (random.chance(0.85)) headers['idempotency-key'] = random.chance(0.9) ? uuidFrom(random) : hostileString(random).replace(/[^\x20-\x7e]/g, '').slice(0, 500) || '-';
    }
    const content = op['requestBody']?.content as Record<string, { schema?: unknown }> | undefined;
    const roll = random.next();
    if (content?.['text/csv']) {
      headers['content-type'] = random.chance(0.8) ? 'text/csv' : 'application/json';
      const lines = Array.from({ length: random.int(5) }, () => Array.from({ length: random.int(25) }, () => hostileString(random).slice(0, 50).replace(/[\r\n]/g, ' ')).join(','));
      return { method, url, headers, payload: lines.join(random.chance(0.5) ? '\n' : '\r\n') };
    }
    if (!content && roll > 0.2) return { method, url, headers };
    headers['content-type'] = roll < 0.05 ? random.pick(['text/plain', 'application/xml', 'application/json; charset=shift_jis', 'multipart/form-data']) : 'application/json';
    const schema = content?.['application/json']?.schema;
    if (roll < 0.1) return { method, url, headers, payload: random.pick(['{', '{"a":', '[1,]', '\u0000', '{"a":1}{"b":2}', '']) };
    const body = roll < 0.4 ? (shaped(schema, random) ?? {}) : roll < 0.85 ? mutate(shaped(schema, random), random) : hostileValue(random);
    return { method, url, headers, payload: JSON.stringify(body) };
  }

  /** What a failing assertion prints: enough to replay the request, the planted secret masked. */
  const describeSent = (sent: Sent) => `${sent.method} ${sent.url.slice(0, 300)} ${String(sent.payload ?? '').slice(0, 400)}`.replaceAll(individualNumber, '<個人番号>');

  test('every operation: no 5xx, errors are documented problems without the individual number', async () => {
    const operations: Operation[] = Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op: op as Record<string, any> })));
    assert.ok(operations.length >= 60, `the OpenAPI document lists the platform's operations (${operations.length})`);
    const random = seededRandom(SEED);
    const statuses = new Map<number, number>();
    const reachedHandler = new Set<string>();
    for (const operation of operations) {
      for (let round = 0; round < ROUNDS; round++) {
        const sent = request(operation, random);
        if (process.env["FUZZ_TRACE"]) console.error(`TRACE ${describeSent(sent).slice(0, 300)}`);
        const response = await t.app.inject(sent as never);
        const what = `seed ${SEED}, ${describeSent(sent)} → ${response.statusCode}`;
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        assert.ok(response.statusCode < 500, `${what}: ${response.body.slice(0, 500)}`);
        if (response.statusCode < 400) {
          reachedHandler.add(`${operation.method} ${operation.path}`);
          continue;
        }
        assert.match(String(response.headers['content-type']), /^application\/problem\+json/, what);
        const problem = response.json() as { code?: string; status?: number; title?: string };
        assert.ok(problem.code && DOCUMENTED.has(problem.code), `${what}: code ${problem.code} is in docs/errors.md`);
        assert.equal(problem.status, response.statusCode, what);
        for (const form of [individualNumber, fullWidth(individualNumber)]) {
          assert.ok(!readable(response.body).includes(form), `${what}: the individual number is not in the error`);
        }
        if (problem.code !== 'KERNEL_AUTH_REQUIRED' && problem.code !== 'KERNEL_AUTH_INVALID') reachedHandler.add(`${operation.method} ${operation.path}`);
      }
    }
    // The fuzzer got past authentication on most operations, so their validation and use cases were exercised.
    assert.ok(reachedHandler.size >= operations.length * 0.8, `past authentication on ${reachedHandler.size} of ${operations.length} operations`);
    assert.ok((statuses.get(200) ?? 0) + (statuses.get(201) ?? 0) + (statuses.get(204) ?? 0) > 0, 'some requests succeeded');
    const health = await t.app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(health.statusCode, 200, 'the platform still answers');
  });

  test('the operator routes (/ops/v1, the CLI\'s channel): any body or id is a documented problem or an answer, never a 5xx', async () => {
    const operatorRoutes = routesOfTree(t.app.printRoutes({ commonPrefix: false })).filter((r) => r.path.startsWith('/ops/v1/'));
    assert.ok(operatorRoutes.length >= 25, `the operator routes are found (${operatorRoutes.length})`);
    const random = seededRandom(SEED + 1);
    for (const route of operatorRoutes) {
      for (let round = 0; round < ROUNDS; round++) {
        const url = route.path.replace(/:(\w+)/g, (_, name: string) => pathValue(name, random));
        const headers: Record<string, string> = { authorization: `Bearer ${OPS_TOKEN}` };
        const roll = random.next();
        let payload: string | undefined;
        if (route.method !== 'GET' && roll > 0.1) {
          headers['content-type'] = roll < 0.15 ? 'text/csv' : 'application/json';
          payload = roll < 0.25 ? random.pick(['{', '[1,]', '']) : JSON.stringify(roll < 0.6 ? hostileValue(random) : mutate({ lgCode: t.lgCode, id: '1', kind: 'auth', month: '2026-11' }, random));
        }
        const sent: Sent = { method: route.method, url, headers, ...(payload !== undefined ? { payload } : {}) };
        const response = await t.app.inject(sent as never);
        const what = `seed ${SEED + 1}, ${describeSent(sent)} → ${response.statusCode}`;
        assert.ok(response.statusCode < 500, `${what}: ${response.body.slice(0, 500)}`);
        if (response.statusCode >= 400) {
          assert.match(String(response.headers['content-type']), /^application\/problem\+json/, what);
          assert.ok(DOCUMENTED.has(response.json().code), `${what}: ${response.body.slice(0, 300)}`);
        }
      }
    }
  });

  test('no log line written during the fuzz run holds the individual number', () => {
    assert.ok(t.logLines.length > 0, 'the run was logged');
    for (const logged of t.logLines) {
      // Read as a person would: JSON escapes and percent escapes undone, so no encoding hides the number.
      const line = readable(logged);
      assert.ok(!line.includes(individualNumber) && !line.includes(fullWidth(individualNumber)), `a log line holds the individual number: ${line.replaceAll(individualNumber, '<個人番号>').slice(0, 300)}`);
    }
  });
});
