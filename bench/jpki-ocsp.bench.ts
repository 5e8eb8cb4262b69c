// Benchmark (issue #3): our OCSP responder with 10,000,000 certificates known (1,000,000 revoked) on PostgreSQL, against
// `openssl ocsp -index` over the same serials — same load tool, same request mix, same run, a new connection per request.
//
// Run: `node bin/run-ts.js bench/jpki-ocsp.bench.ts` (or `runOcspBenchmark()` from bench/run.ts). Scale with
// BENCH_OCSP_CERTS (10,000,000), BENCH_OCSP_REVOKED (1,000,000), BENCH_OCSP_SECONDS (10), BENCH_OCSP_CONCURRENCY (16),
// BENCH_OCSP_WARMUP_SECONDS (2) and BENCH_OCSP_REQUESTS (200,000 distinct requests per responder). Uses DATABASE_URL,
// or a throwaway PostgreSQL (bench/support/temp-postgres.ts).
//
// Profiling: BENCH_OCSP_CPU_PROF=<dir> writes a V8 CPU profile of our server there (wall-clock samples: on a busy
// 2-core machine they also count the time the event loop sat preempted); BENCH_OCSP_NODE_FLAGS adds flags to our
// server's node, e.g. `--perf-basic-prof` for `perf record -a -g` (the server runs in the temporary folder, so the
// isolate logs V8 then writes go away with it).
//
// Who runs where (2 cores): our server is `node bin/myna-platform.js start` in a child process, as in production
// (PostgreSQL pool, background work, Fastify); the reference is one `openssl ocsp` process; the load generator is a
// third process (bench/support/ocsp-load-generator.ts), the same code for both. Nothing else runs during a timed phase.
// The generator takes CPU from whichever responder is measured; openssl answers one connection at a time on one core, so
// it rarely competes for it, while our server (event loop + libuv pool signing + PostgreSQL backends) can use both cores
// and does compete. The result prints the CPU each party used per request, so the split is visible.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { loadConfig } from '../src/kernel/config.ts';
import { createLogger } from '../src/kernel/logger.ts';
import { createPlatform } from '../src/platform/create-platform.ts';
import { certIdHashes } from '../src/modules/jpki/index.ts';
import { startTempPostgres } from './support/temp-postgres.ts';
import { insertCertificates, writeOpensslIndex } from './support/ocsp-certificate-rows.ts';
import { makeReferenceCa, opensslVersion, startOpensslResponder } from './support/openssl-ocsp-responder.ts';
import { certificateSerialHex, isRevoked, revocationStride, unknownSerialHex, type IssuerHashesHex, type MixOptions } from './support/ocsp-load-plan.ts';
import { processCpu, processesCpuMs } from './support/process-cpu.ts';
import type { LoadJob, LoadResult } from './support/ocsp-load-generator.ts';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const TARGET_RATIO = 10;
const P99_TARGET_MS = 10;
const DATABASE = 'myna_bench_ocsp';
const NONCE_SHARE = 0.5;
const UNKNOWN_SHARE = 0.01;

interface Settings {
  certificates: number;
  revoked: number;
  seconds: number;
  concurrency: number;
  warmUpSeconds: number;
  requests: number;
  /** Extra `node` flags for our server (profiling). */
  nodeFlags: string[];
}

function settings(): Settings {
  const number = (name: string, fallback: number, min: number): number => {
    const raw = process.env[name];
    const value = raw === undefined || raw === '' ? fallback : Number(raw.replaceAll('_', '').replaceAll(',', ''));
    if (!Number.isFinite(value) || value < min) throw new TypeError(`${name} must be a number ≥ ${min}, got ${raw}`);
    return value;
  };
  const s: Settings = {
    certificates: Math.floor(number('BENCH_OCSP_CERTS', 10_000_000, 1)),
    revoked: Math.floor(number('BENCH_OCSP_REVOKED', 1_000_000, 0)),
    seconds: number('BENCH_OCSP_SECONDS', 10, 0.5),
    concurrency: Math.floor(number('BENCH_OCSP_CONCURRENCY', 16, 1)),
    warmUpSeconds: number('BENCH_OCSP_WARMUP_SECONDS', 2, 0.2),
    requests: Math.floor(number('BENCH_OCSP_REQUESTS', 200_000, 100)),
    nodeFlags: [
      ...(process.env['BENCH_OCSP_CPU_PROF'] ? ['--cpu-prof', '--cpu-prof-dir', process.env['BENCH_OCSP_CPU_PROF']] : []),
      ...(process.env['BENCH_OCSP_NODE_FLAGS'] ?? '').split(/\s+/).filter(Boolean),
    ],
  };
  if (s.revoked > s.certificates) throw new TypeError('BENCH_OCSP_REVOKED must not exceed BENCH_OCSP_CERTS');
  return s;
}

function log(message: string): void {
  process.stderr.write(`[jpki-ocsp] ${message}\n`);
}

function round(n: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function pem(der: Uint8Array): string {
  return `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

function toHashesHex(caDer: Uint8Array): IssuerHashesHex {
  const { sha1 } = certIdHashes(caDer);
  return { nameHash: Buffer.from(sha1.nameHash).toString('hex'), keyHash: Buffer.from(sha1.keyHash).toString('hex') };
}

/** Busy jiffies of the whole machine (all cores) from /proc/stat, in ms; undefined off Linux. */
function machineBusyMs(): number | undefined {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
    return ((user! + nice! + system! + irq! + softirq! + steal!) * 1000) / 100;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Our server: `myna-platform start` in a child process
// ---------------------------------------------------------------------------------------------

interface OurServer {
  pid: number;
  url: string;
  stop(): Promise<void>;
}

/** Runs in `cwd` (the benchmark's temporary folder), so whatever a profiling flag writes there is removed with it. */
async function startOurServer(env: Record<string, string>, nodeFlags: readonly string[], cwd: string): Promise<OurServer> {
  const child: ChildProcess = spawn(process.execPath, [...nodeFlags, join(ROOT, 'bin', 'myna-platform.js'), 'start', '--port', '0'], {
    cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => { output = (output + chunk.toString()).slice(-8000); };
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      keep(chunk);
      const m = /稼働確認:\s+(\S+)\/healthz/.exec(output);
      if (m) resolveUrl(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`our server exited with ${code}: ${output}`)));
  });
  return {
    pid: child.pid!,
    url,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Checks before timing: both responders give the right answers to `openssl ocsp` as a client
// ---------------------------------------------------------------------------------------------

/** Asks about a good, a revoked, a held and an unknown serial in one request and checks what openssl reads back. */
function checkWithOpensslClient(dir: string, caFile: string, url: string, credential: string, population: { certificates: number; revoked: number }): void {
  const stride = revocationStride(population);
  const good = [1, 2, 3].find((i) => i <= population.certificates && !isRevoked(i, population))!;
  const cases: { serial: string; pattern: string }[] = [{ serial: certificateSerialHex(good), pattern: 'good' }];
  // Revoked certificate j·stride: reason j % 5 (0 keyCompromise … 3 cessationOfOperation), 4 = on hold.
  if (population.revoked >= 5) cases.push({ serial: certificateSerialHex(5 * stride), pattern: 'revoked[\\s\\S]*?Reason: keyCompromise' });
  if (population.revoked >= 4) cases.push({ serial: certificateSerialHex(4 * stride), pattern: 'revoked[\\s\\S]*?Reason: certificateHold' });
  cases.push({ serial: unknownSerialHex(0), pattern: 'unknown' });
  const args = ['ocsp', '-issuer', caFile, ...cases.flatMap((c) => ['-serial', `0x${c.serial}`]), '-url', url, '-CAfile', caFile,
    '-header', `X-JPKI-Verifier-Key=${credential}`, '-timeout', '600'];
  const run = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8', timeout: 900_000 });
  const output = `${run.stdout}${run.stderr}`;
  if (!/Response verify OK/.test(output)) throw new Error(`${url}: openssl could not verify the response:\n${output}`);
  for (const c of cases) {
    if (!new RegExp(`0x${c.serial}: ${c.pattern}`).test(output)) throw new Error(`${url}: expected ${c.pattern} for ${c.serial}:\n${output}`);
  }
}

// ---------------------------------------------------------------------------------------------
// One timed run
// ---------------------------------------------------------------------------------------------

interface RunReport {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  firstError?: string;
  requests: number;
  /** Warm-up answers checked against the plan: status, serial, nonce echoed. */
  checkedAnswers: number;
  wrongAnswers: number;
  /** CPU per request (ms) during the timed phase; machineBusyCores is of both cores, everything included. */
  cpu: { responderMsPerRequest?: number; eventLoopMsPerRequest?: number; postgresMsPerRequest?: number; loadGeneratorMsPerRequest: number; machineBusyCores?: number };
}

async function measure(job: LoadJob, responderPid: number, postgresPids: (() => Promise<number[]>) | undefined): Promise<RunReport> {
  const child = spawn(process.execPath, ['bin/run-ts.js', 'bench/support/ocsp-load-generator.ts', JSON.stringify(job)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  let start: { responder?: ReturnType<typeof processCpu>; postgres?: number; machine?: number; wall: number } | undefined;
  let end: typeof start;
  let pids: number[] = [];
  let result: LoadResult | undefined;
  for await (const line of createInterface({ input: child.stdout! })) {
    if (line === 'WARM-UP DONE') {
      start = { responder: processCpu(responderPid), machine: machineBusyMs(), wall: performance.now() };
      pids = postgresPids ? await postgresPids() : [];
      start.postgres = processesCpuMs(pids);
    } else if (line === 'MEASURE DONE') {
      end = { responder: processCpu(responderPid), postgres: processesCpuMs(pids), machine: machineBusyMs(), wall: performance.now() };
    } else if (line.startsWith('{')) {
      result = JSON.parse(line) as LoadResult;
    }
  }
  const code = await exited;
  if (!result || code !== 0) throw new Error(`load generator exited with ${code}`);
  const perRequest = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || result!.requests === 0 ? undefined : round((b - a) / result!.requests, 4));
  return {
    rps: result.rps, p50Ms: result.p50Ms, p99Ms: result.p99Ms, maxMs: result.maxMs, errors: result.errors,
    ...(result.firstError ? { firstError: result.firstError } : {}),
    requests: result.requests, checkedAnswers: result.checked, wrongAnswers: result.wrongAnswers,
    cpu: {
      responderMsPerRequest: perRequest(start?.responder?.totalMs, end?.responder?.totalMs),
      ...(postgresPids ? {
        eventLoopMsPerRequest: perRequest(start?.responder?.mainThreadMs, end?.responder?.mainThreadMs),
        postgresMsPerRequest: perRequest(start?.postgres, end?.postgres),
      } : {}),
      loadGeneratorMsPerRequest: round(result.cpuMs / Math.max(1, result.requests), 4),
      ...(start?.machine !== undefined && end?.machine !== undefined ? { machineBusyCores: round((end.machine - start.machine) / (end.wall - start.wall), 2) } : {}),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The benchmark
// ---------------------------------------------------------------------------------------------

/**
 * Sets up N synthetic certificates (PostgreSQL table + OpenSSL index), starts both responders, checks
 * their answers with `openssl ocsp`, then times ours, openssl, and ours with keep-alive; prints one JSON line.
 * @example await runOcspBenchmark(); // {"benchmark":"jpki-ocsp","certificates":10000000,…,"ratio":…,"pass":false}
 */
export async function runOcspBenchmark(): Promise<void> {
  const s = settings();
  const openssl = opensslVersion();
  if (!openssl) {
    console.log(JSON.stringify({ benchmark: 'jpki-ocsp', skipped: 'openssl not found: apt-get install -y openssl' }));
    return;
  }
  const pgServer = process.env['DATABASE_URL'] ? { url: process.env['DATABASE_URL'], version: 'DATABASE_URL', stop() {} } : await startTempPostgres();
  if (!pgServer) {
    console.log(JSON.stringify({ benchmark: 'jpki-ocsp', skipped: 'no PostgreSQL server: set DATABASE_URL or apt-get install -y postgresql' }));
    return;
  }
  const work = mkdtempSync(join(tmpdir(), 'myna-bench-ocsp-'));
  // Undone last to first: responders, connections, the database, the server, the folder.
  const stops: (() => Promise<void> | void)[] = [() => rmSync(work, { recursive: true, force: true }), () => pgServer.stop()];
  const timings: Record<string, number> = {};
  const time = async <T>(name: string, fn: () => Promise<T> | T): Promise<T> => {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      timings[name] = round((performance.now() - t0) / 1000, 1);
    }
  };
  try {
    const admin = new pg.Client({ connectionString: pgServer.url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
    await admin.query(`CREATE DATABASE ${DATABASE}`);
    await admin.end();
    stops.push(async () => {
      const drop = new pg.Client({ connectionString: pgServer.url });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
      await drop.end();
    });
    const databaseUrl = pgServer.url.replace(/\/[^/]*$/, `/${DATABASE}`);
    const env = {
      DATABASE_URL: databaseUrl, HOST: '127.0.0.1', LOG_LEVEL: 'warn', MYNA_DEMO_MUNICIPALITY: '',
      MYNA_JPKI_KEYSTORE_KEY: randomBytes(32).toString('hex'), MYNA_NUMBERING_KEY: randomBytes(32).toString('hex'), MYNA_DATA_DIR: join(work, 'data'),
    };

    // 1. The platform: migrations, both CAs, a verifier (then closed: the server runs in its own process).
    const platform = await createPlatform(loadConfig(env), { logger: createLogger({ level: 'warn' }) });
    let credential: string;
    let ourCa: Uint8Array;
    let caGenerationId: string;
    try {
      await platform.jpki.initCertificateAuthorities();
      const ca = await platform.jpki.issuingCa('auth');
      ourCa = ca.certificate;
      caGenerationId = ca.id;
      ({ credential } = await platform.jpki.registerVerifier({ name: 'OCSP benchmark', kind: 'platform_operator' }));
    } finally {
      await platform.close();
    }

    // 2–3. The rows, in the table and as openssl's index.txt.
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    stops.push(() => db.end());
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    await time('insertAndVacuumSeconds', () => insertCertificates(db, {
      certificates: s.certificates, revoked: s.revoked, caGenerationId, now,
      onProgress: (done) => log(`${done.toLocaleString('en')} / ${s.certificates.toLocaleString('en')} certificates inserted`),
    }));
    const counts = (await db.query<{ n: number; r: number }>(`SELECT count(*)::int AS n, count(*) FILTER (WHERE status <> 'good')::int AS r FROM jpki.certificates`)).rows[0]!;
    if (counts.n !== s.certificates) throw new Error(`inserted ${counts.n} certificates, expected ${s.certificates}`);
    const tableBytes = Number((await db.query<{ b: string }>(`SELECT pg_total_relation_size('jpki.certificates')::text AS b`)).rows[0]!.b);
    log(`table ready: ${counts.n} certificates, ${counts.r} revoked or on hold, ${(tableBytes / 2 ** 30).toFixed(2)} GiB with indexes (${timings['insertAndVacuumSeconds']} s)`);
    await time('indexFileSeconds', () => writeOpensslIndex(db, caGenerationId, join(work, 'index.txt')));
    const referenceCa = makeReferenceCa(work);
    writeFileSync(join(work, 'ours-ca.pem'), pem(ourCa));
    log(`index.txt written (${(statSync(join(work, 'index.txt')).size / 1e6).toFixed(0)} MB, ${timings['indexFileSeconds']} s)`);

    // Our server, as production runs it; its first CRLs (every revoked row) are generated at start-up, so wait for them.
    const ours = await startOurServer(env, s.nodeFlags, work);
    stops.push(() => ours.stop());
    await time('ourStartSeconds', async () => {
      for (let waited = 0; (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM jpki.crls')).rows[0]!.n < 2; waited += 250) {
        if (waited > 600_000) throw new Error('our server did not publish its first CRLs within 10 minutes');
        await new Promise((r) => setTimeout(r, 250));
      }
    });
    const ourUrl = `${ours.url}/jpki/ocsp/auth`;
    checkWithOpensslClient(work, 'ours-ca.pem', ourUrl, credential, s);

    // The reference: reads index.txt before it answers, so the first check's duration is its start-up.
    const reference = startOpensslResponder(work, await freePort());
    stops.push(() => reference.stop());
    await time('opensslStartSeconds', () => checkWithOpensslClient(work, 'ca.pem', `http://127.0.0.1:${reference.port}/`, credential, s));
    log(`both responders answer correctly (openssl read its index in ${timings['opensslStartSeconds']} s)`);

    // 4–5. Same mix (serials, nonces) for both; only the issuer hashes differ, being of different CAs.
    const mix: MixOptions = { certificates: s.certificates, revoked: s.revoked, requests: s.requests, seed: 20261124, nonceShare: NONCE_SHARE, unknownShare: UNKNOWN_SHARE };
    const base = { host: '127.0.0.1', headers: { 'X-JPKI-Verifier-Key': credential }, concurrency: s.concurrency, warmUpSeconds: s.warmUpSeconds, seconds: s.seconds, mix };
    const ourPort = Number(new URL(ours.url).port);
    const postgresPids = async () => (await db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')).rows.map((r) => r.pid);
    const ourHashes = toHashesHex(ourCa);
    log('timing ours (new connection per request)…');
    const oursRun = await measure({ ...base, port: ourPort, path: '/jpki/ocsp/auth', keepAlive: false, issuer: ourHashes }, ours.pid, postgresPids);
    log(`ours: ${oursRun.rps} req/s; timing openssl ocsp (new connection per request)…`);
    const opensslRun = await measure({ ...base, port: reference.port, path: '/', keepAlive: false, issuer: toHashesHex(referenceCa) }, reference.pid, undefined);
    log(`openssl: ${opensslRun.rps} req/s; timing ours with keep-alive…`);
    const keepAliveRun = await measure({ ...base, port: ourPort, path: '/jpki/ocsp/auth', keepAlive: true, issuer: ourHashes }, ours.pid, postgresPids);

    const ratio = opensslRun.rps > 0 ? round(oursRun.rps / opensslRun.rps) : null;
    const clean = [oursRun, opensslRun, keepAliveRun].every((r) => r.errors === 0 && r.wrongAnswers === 0);
    console.log(JSON.stringify({
      benchmark: 'jpki-ocsp',
      certificates: s.certificates,
      revoked: s.revoked,
      concurrency: s.concurrency,
      seconds: s.seconds,
      ours: oursRun,
      oursKeepAlive: keepAliveRun,
      openssl: opensslRun,
      ratio,
      target: TARGET_RATIO,
      p99TargetMs: P99_TARGET_MS,
      pass: ratio !== null && ratio >= TARGET_RATIO && oursRun.p99Ms < P99_TARGET_MS && keepAliveRun.p99Ms < P99_TARGET_MS && clean,
      mix: { nonceShare: NONCE_SHARE, unknownShare: UNKNOWN_SHARE, revokedShareOfKnown: round(s.revoked / s.certificates), distinctRequests: s.requests, certId: 'SHA-1', method: 'POST' },
      rows: 'synthetic (2-byte placeholder der); the lookup path is the real one: HTTP, verifier credential, usage meter, jpki.certificates by serial_hex, RSA-2048 delegated responder',
      reference: `${openssl}: openssl ocsp -index index.txt -rsigner (RSA-2048) -nmin 5 -ignore_err, one process (no -multi)`,
      server: pgServer.version,
      tableGiB: round(tableBytes / 2 ** 30, 2),
      setup: timings,
    }));
  } finally {
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (error) {
        log(`clean-up: ${(error as Error).message}`);
      }
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runOcspBenchmark();
