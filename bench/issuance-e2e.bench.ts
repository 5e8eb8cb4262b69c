// Benchmark: コンビニ交付 end to end over the HTTP API (session, card signature, authentication with JPKI + OCSP, order with a signed PDF, payment, document, print result), certificates/s and p99, with time per stage.
//
// Run: `BENCH_ONLY=issuance-e2e npm run bench`. BENCH_KIOSK_RUNS (default 300) certificates, BENCH_KIOSK_CONCURRENCY (default 8) kiosks in flight;
// BENCH_PROFILE=<file.cpuprofile> writes a CPU profile of the timed part.
// The platform runs in this process on an in-memory PGlite; the kiosks reach it through the server's own HTTP stack in memory
// (app.inject: routing, schemas, auth, problem+json) — no sockets, so the figure is the platform's, not the loopback's.
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { processCpu, processesCpuMs } from './support/process-cpu.ts';
import { listenToStages, type TimedStage } from '../src/kernel/stage-timings.ts';
import { loadConfig } from '../src/kernel/config.ts';
import { createLogger } from '../src/kernel/logger.ts';
import { createPlatform } from '../src/platform/create-platform.ts';
import { createServer } from '../src/http/create-server.ts';
import { injectFetch } from '../src/http/inject-fetch.ts';
import { CardClient, digestInfo, inProcessTransport } from '../src/modules/card/index.ts';

const TARGET = { certificatesPerSecond: 100, p99Ms: 500 };
const LG_CODE = '132047';
const HOLDERS = 8;
const STAGES = ['session', 'cardSignature', 'authentication', 'order', 'payment', 'document', 'printResult'] as const;
type Stage = (typeof STAGES)[number];

function setting(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new TypeError(`${name} must be a positive integer`);
  return value;
}

/** Profiles the timed part only (BENCH_PROFILE=<file.cpuprofile>), for Chrome DevTools or speedscope. */
async function startProfile(): Promise<{ stop(file: string): Promise<void> }> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) => new Promise<any>((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  await post('Profiler.enable');
  await post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await post('Profiler.stop');
      await writeFile(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/** BENCH_DATABASE_URL (a PostgreSQL server) → a fresh database on it, dropped afterwards; else PGlite in memory. */
async function benchDatabase(): Promise<{ url: string; engine: string; drop(): Promise<void>; backendPids(): Promise<number[]> }> {
  const server = process.env['BENCH_DATABASE_URL'];
  if (!server) return { url: '', engine: 'pglite', async drop() {}, backendPids: async () => [] };
  const name = `myna_bench_e2e_${process.pid}`;
  const admin = async (sql: string) => { const c = new pg.Client({ connectionString: server }); await c.connect(); try { await c.query(sql); } finally { await c.end(); } };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(), engine: 'postgres', drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    // The platform's pool connections (its backends), to count their CPU.
    async backendPids() {
      const c = new pg.Client({ connectionString: url.toString() });
      await c.connect();
      try {
        return (await c.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')).rows.map((r) => r.pid);
      } finally { await c.end(); }
    },
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
const round = (n: number) => Math.round(n * 10) / 10;

/** Sets up 三鷹市 with card holders, then runs kiosk journeys (住民票の写し, 1 copy) with `concurrency` kiosks in flight. */
export async function runIssuanceEndToEndBenchmark(): Promise<void> {
  const runs = setting('BENCH_KIOSK_RUNS', 300);
  const concurrency = setting('BENCH_KIOSK_CONCURRENCY', 8);
  const database = await benchDatabase();
  const platform = await createPlatform(
    loadConfig({ LOG_LEVEL: 'warn', MYNA_DEMO_MUNICIPALITY: '', MYNA_NUMBERING_KEY: randomBytes(32).toString('hex'), MYNA_JPKI_KEYSTORE_KEY: randomBytes(32).toString('hex'), DATABASE_URL: database.url }, { memory: !database.url }),
    { logger: createLogger({ level: 'warn' }) },
  );
  const app = await createServer(platform);
  await app.ready();
  try {
    await platform.registry.registerMunicipality({ lgCode: LG_CODE, name: '三鷹市', nameKana: 'ミタカシ', prefecture: '東京都', population: 190000 });
    await platform.registry.seedMunicipality({ lgCode: LG_CODE, residents: 200 });
    await platform.jpki.initCertificateAuthorities();
    const { kioskCredential } = await platform.issuance.setUpDemo(LG_CODE);
    const cards = await platform.card.createDemoCards(LG_CODE, HOLDERS);
    const holders = await Promise.all(cards.map(async (c) => ({
      client: new CardClient(inProcessTransport(await platform.card.openChip(c.id))), pin: (await platform.card.demoPins(c.id)).auth,
      certificate: undefined as Uint8Array | undefined,
    })));
    const fetch = injectFetch(app);
    const headers = (key = true) => ({ authorization: `Bearer ${kioskCredential}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': randomUUID() } : {}) });
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`http://centre.internal/issuance/centre/v1${path}`, { method: 'POST', headers: headers(), body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return response.json() as Promise<Record<string, any>>;
    };
    const stageTotals: Record<Stage, number> = { session: 0, cardSignature: 0, authentication: 0, order: 0, payment: 0, document: 0, printResult: 0 };
    const latencies: number[] = [];

    async function journey(holder: (typeof holders)[number], timed: boolean): Promise<void> {
      const started = performance.now();
      let mark = started;
      const lap = (stage: Stage) => { const now = performance.now(); if (timed) stageTotals[stage] += now - mark; mark = now; };
      const session = await post('/sessions', {});
      lap('session');
      holder.certificate ??= await holder.client.readCertificate('auth');
      const signature = await holder.client.sign('auth', digestInfo(Buffer.from(session.challenge, 'base64url')), holder.pin);
      lap('cardSignature');
      await post(`/sessions/${session.sessionId}/authentication`, { certificate: Buffer.from(holder.certificate).toString('base64'), signature: Buffer.from(signature).toString('base64') });
      lap('authentication');
      const order = await post(`/sessions/${session.sessionId}/orders`, { type: 'juminhyo', copies: 1 });
      lap('order');
      await post(`/sessions/${session.sessionId}/orders/${order.orderId}/payment`, { method: 'cash', amountYen: order.totalYen });
      lap('payment');
      const pdf = await fetch(`http://centre.internal/issuance/centre/v1/sessions/${session.sessionId}/orders/${order.orderId}/documents/1`, { headers: headers(false) });
      if (!pdf.ok || (await pdf.arrayBuffer()).byteLength < 1000) throw new Error('no document');
      lap('document');
      await post(`/sessions/${session.sessionId}/orders/${order.orderId}/print-results`, { copies: [{ copy: 1, printed: true }] });
      lap('printResult');
      if (timed) latencies.push(performance.now() - started);
    }

    // Warm-up: fonts parsed in every document thread, keys unsealed, the centre registered as a verifier, JIT settled.
    for (const holder of holders) await journey(holder, false);
    for (let round = 0; round < 5; round++) await Promise.all(holders.map((holder) => journey(holder, false)));
    const profile = process.env['BENCH_PROFILE'] ? await startProfile() : undefined;
    const backends = await database.backendPids();
    const cpuBefore = { node: processCpu(process.pid), postgres: processesCpuMs(backends) };
    // Wall time by what the platform does (concurrent work counts in each), summed over the timed certificates.
    const components: Record<TimedStage, number> = { verification: 0, ocsp: 0, rules: 0, pdf: 0, signature: 0, database: 0 };
    const stopListening = listenToStages((stage, ms) => { components[stage] += ms; });
    let next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async (_, k) => {
      // One kiosk per holder at a time: a card is in one reader.
      const holder = holders[k % holders.length]!;
      while (next < runs) { next += 1; await journey(holder, true); }
    }));
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = { node: processCpu(process.pid), postgres: processesCpuMs(backends) };
    stopListening();
    if (profile) await profile.stop(process.env['BENCH_PROFILE']!);
    const perCertificate = (before?: number, after?: number) => (before === undefined || after === undefined ? undefined : round((after - before) / runs));
    latencies.sort((a, b) => a - b);
    const perSecond = runs / seconds;
    const p99 = percentile(latencies, 0.99);
    console.log(JSON.stringify({
      bench: 'issuance-e2e', database: database.engine, certificates: runs, concurrency, seconds: round(seconds), certificatesPerSecond: round(perSecond),
      latencyMs: { p50: round(percentile(latencies, 0.5)), p99: round(p99), max: round(latencies.at(-1)!) },
      // Where the CPU went (Linux /proc): the event loop, all of Node (with the document threads), the PostgreSQL backends.
      cpuMsPerCertificate: {
        eventLoop: perCertificate(cpuBefore.node?.mainThreadMs, cpuAfter.node?.mainThreadMs),
        node: perCertificate(cpuBefore.node?.totalMs, cpuAfter.node?.totalMs),
        postgres: perCertificate(cpuBefore.postgres, cpuAfter.postgres),
      },
      stageMsPerCertificate: Object.fromEntries(STAGES.map((s) => [s, round(stageTotals[s] / runs)])),
      // JPKI verification (chain, signature), OCSP (request, signed answer, its check), rules (registry reads, the municipality's
      // rules), PDF (payload + render, in a document thread), signature (PAdES), database (every statement, incl. waiting for a connection).
      componentMsPerCertificate: Object.fromEntries(Object.entries(components).map(([k, v]) => [k, round(v / runs)])),
      target: TARGET, pass: perSecond >= TARGET.certificatesPerSecond && p99 < TARGET.p99Ms,
    }));
  } finally {
    await app.close();
    await platform.close();
    await database.drop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runIssuanceEndToEndBenchmark();
