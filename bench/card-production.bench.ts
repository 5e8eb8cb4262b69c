// Benchmark: cards produced per second through the real card service (keys, certificates, chip files, database), against raw RSA-2048 key generation with as many in flight, same run.
//
// Run: `node bin/run-ts.js bench/card-production.bench.ts` (or BENCH_ONLY=card-production through bench/run.ts).
// Scale with BENCH_CARDS (cards timed, default 40) and BENCH_CARD_CONCURRENCY (productions in flight, default 3: on 2 cores, 2 leaves the pool idle between a card's phases, 4 only adds latency).
// The platform runs on an in-memory PGlite in this process, as `npm start --memory` would.
// Profiling: BENCH_CARD_CPU_PROF=<file.cpuprofile> writes a V8 CPU profile of the main thread during the timed part only
// (key generation runs on the libuv pool and shows there as idle time).
import { generateKeyPair, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { loadConfig } from '../src/kernel/config.ts';
import { createLogger } from '../src/kernel/logger.ts';
import { createPlatform } from '../src/platform/create-platform.ts';
import { syntheticPortrait } from '../src/modules/card/index.ts';
import { processCpu, type CpuSample } from './support/process-cpu.ts';

const TARGET_CARDS_PER_SECOND = 5;
const LG_CODE = '132047';
/** Adults only: every card gets both key pairs (a holder under 15 gets no signing certificate, so one key). */
const SIGNING_AGE = 15;
const WARM_UP_CARDS = 2;
const PHASES = ['registry', 'keyGeneration', 'certificates', 'chipFiles', 'database'] as const;
type Phase = (typeof PHASES)[number];

const generateRsa = promisify(generateKeyPair);

function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new TypeError(`${name} must be a positive integer, got ${raw}`);
  return value;
}

/** Runs `count` jobs with at most `concurrency` in flight. */
async function pool(count: number, concurrency: number, job: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) await job(next++);
  }));
}

/** CPU per card from two /proc samples of this process; undefined off Linux. */
function cpuPerCard(before: CpuSample | undefined, after: CpuSample | undefined, cards: number): { total: number; mainThread: number; otherThreads: number } | undefined {
  if (!before || !after) return undefined;
  const total = (after.totalMs - before.totalMs) / cards;
  const mainThread = (after.mainThreadMs - before.mainThreadMs) / cards;
  return { total: round(total, 1), mainThread: round(mainThread, 1), otherThreads: round(total - mainThread, 1) };
}

/** Starts the V8 profiler when BENCH_CARD_CPU_PROF names a file; the returned function stops it and writes the profile. */
async function startProfile(): Promise<() => Promise<void>> {
  const path = process.env['BENCH_CARD_CPU_PROF'];
  if (!path) return async () => undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(path, JSON.stringify(profile));
    session.disconnect();
  };
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The reference: RSA-2048 key pairs per second from node's crypto.generateKeyPair (libuv pool), `concurrency` in flight. */
async function keyGenerationsPerSecond(keys: number, concurrency: number): Promise<number> {
  const started = performance.now();
  await pool(keys, concurrency, async () => { await generateRsa('rsa', { modulusLength: 2048, publicExponent: 0x10001 }); });
  return keys / ((performance.now() - started) / 1000);
}

/**
 * Registers 三鷹市, seeds residents, initialises the CAs, applies for a card for each adult needed
 * (not timed: applying is not production), then times card.produce with the given concurrency and
 * prints one JSON line: cards/s, the mean time per phase per card, and the key-generation ceiling.
 */
export async function runCardProductionBenchmark(): Promise<void> {
  const cards = setting('BENCH_CARDS', 40);
  const concurrency = setting('BENCH_CARD_CONCURRENCY', 3);
  const platform = await createPlatform(
    // A numbering key given (any will do) keeps the platform from logging its development warning into the output.
    loadConfig({ LOG_LEVEL: 'warn', MYNA_DEMO_MUNICIPALITY: '', MYNA_NUMBERING_KEY: randomBytes(32).toString('hex') }, { memory: true }),
    { logger: createLogger({ level: 'warn' }) },
  );
  try {
    const { registry, jpki, card } = platform;
    await registry.registerMunicipality({ lgCode: LG_CODE, name: '三鷹市', nameKana: 'ミタカシ', prefecture: '東京都', population: 190000 });
    // About four in five synthetic residents are adults; twice the need leaves room.
    await registry.seedMunicipality({ lgCode: LG_CODE, residents: Math.max(200, 2 * (cards + WARM_UP_CARDS)) });
    await jpki.initCertificateAuthorities();
    const key = await registry.createApiKey(LG_CODE, 'ベンチ 窓口');
    const staff = await registry.authenticate(key.apiKey);

    // The registry answers searches only with a criterion: walk the kana initials for adults.
    const cutoff = `${new Date().getFullYear() - SIGNING_AGE - 1}-01-01`;
    const residents: { id: string; residentCode: string }[] = [];
    for (const initial of 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ') {
      if (residents.length >= cards + WARM_UP_CARDS) break;
      const { items } = await registry.findResidents({ staff, purpose: '性能測定' }, { familyNameKana: initial, status: 'active', limit: 100 });
      residents.push(...items.filter((r) => r.birthDate < cutoff));
    }
    if (residents.length < cards + WARM_UP_CARDS) throw new Error(`only ${residents.length} adult residents found`);
    const applications: string[] = [];
    for (const resident of residents.slice(0, cards + WARM_UP_CARDS)) {
      const application = await card.apply(staff, {
        residentId: resident.id, channel: 'online', photo: { bytes: syntheticPortrait(resident.residentCode), type: 'image/jpeg' },
      });
      applications.push(application.id);
    }

    // Warm-up: the issuer key is created and the CA keys unsealed on first use; the canvas loads its font.
    for (const id of applications.slice(0, WARM_UP_CARDS)) await card.produce(id);

    const totals: Record<Phase, number> = { registry: 0, keyGeneration: 0, certificates: 0, chipFiles: 0, database: 0 };
    const latencies: number[] = [];
    const timed = applications.slice(WARM_UP_CARDS);
    const stopProfile = await startProfile();
    const cpuBefore = processCpu(process.pid);
    const started = performance.now();
    await pool(timed.length, concurrency, async (i) => {
      const timings: Partial<Record<Phase, number>> = {};
      const t = performance.now();
      const produced = await card.produce(timed[i]!, { timings });
      latencies.push(performance.now() - t);
      if (produced.signCertificateId === null) throw new Error('a card without a signing certificate: the bench wants two keys per card');
      for (const phase of PHASES) totals[phase] += timings[phase] ?? 0;
    });
    const seconds = (performance.now() - started) / 1000;
    const cpu = cpuPerCard(cpuBefore, processCpu(process.pid), timed.length);
    await stopProfile();
    const cardsPerSecond = timed.length / seconds;

    // The reference, after the platform's run so neither competes with the other: 2 keys per card, and
    // as many generations in flight as production has (each card makes its two at once).
    const keysPerSecond = await keyGenerationsPerSecond(2 * timed.length, 2 * concurrency);
    const perPhase = Object.fromEntries(PHASES.map((phase) => [phase, round(totals[phase] / timed.length, 1)])) as Record<Phase, number>;
    const phaseSum = PHASES.reduce((sum, phase) => sum + totals[phase], 0) / timed.length;
    latencies.sort((a, b) => a - b);
    console.log(JSON.stringify({
      bench: 'card-production',
      cards: timed.length, concurrency, cores: availableParallelism(),
      seconds: round(seconds, 3), cardsPerSecond: round(cardsPerSecond),
      latencyMs: { p50: round(latencies[Math.floor(latencies.length / 2)]!, 1), max: round(latencies[latencies.length - 1]!, 1) },
      // Wall time per phase per card; with several cards in flight the phases overlap, so the sum exceeds 1000 / cardsPerSecond.
      phaseMsPerCard: perPhase, phaseSumMsPerCard: round(phaseSum, 1),
      // CPU per card: the main thread (JS, PGlite's WASM, canvas) and the rest (libuv pool: key generation, WebCrypto signing; V8 helpers).
      ...(cpu ? { cpuMsPerCard: cpu } : {}),
      reference: {
        name: `crypto.generateKeyPair RSA-2048, ${2 * concurrency} in flight`, keysPerSecond: round(keysPerSecond),
        cardsPerSecondCeiling: round(keysPerSecond / 2), ratio: round(cardsPerSecond / (keysPerSecond / 2)),
      },
      target: { cardsPerSecond: TARGET_CARDS_PER_SECOND }, pass: cardsPerSecond >= TARGET_CARDS_PER_SECOND,
    }));
  } finally {
    await platform.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runCardProductionBenchmark();
