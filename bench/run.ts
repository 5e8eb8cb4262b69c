// `npm run bench`: runs every benchmark; each prints one JSON line (figure + reference from the same run).
// BENCH_RESIDENTS scales the import benchmark (default 1,000,000); BENCH_ONLY=import|startup runs one.
import { runImportBenchmark } from './import-residents.bench.ts';
import { runStartupBenchmark } from './startup.bench.ts';

const only = process.env['BENCH_ONLY'];
const residents = Number(process.env['BENCH_RESIDENTS'] ?? 1_000_000);
if (!only || only === 'startup') await runStartupBenchmark();
if (!only || only === 'import') await runImportBenchmark(residents);
