// `npm run bench`: runs every benchmark; each prints one JSON line (figure + reference from the same run).
// BENCH_RESIDENTS scales the import benchmark (default 1,000,000); BENCH_CRL_ENTRIES the CRL one (default
// 1,000,000); BENCH_OCSP_* the OCSP one (bench/jpki-ocsp.bench.ts); BENCH_ONLY=import|startup|jpki-verify|jpki-crl|jpki-ocsp|card-engine|card-production|card-vpcd|issuance-documents|issuance-e2e runs one.
import { runImportBenchmark } from './import-residents.bench.ts';
import { runStartupBenchmark } from './startup.bench.ts';
import { runVerifyBenchmark } from './jpki-verify.bench.ts';
import { runCrlBenchmark } from './jpki-crl.bench.ts';
import { runOcspBenchmark } from './jpki-ocsp.bench.ts';
import { runCardVpcdBenchmark } from './card-vpcd.bench.ts';
import { runCardEngineBenchmark } from './card-engine.bench.ts';
import { runCardProductionBenchmark } from './card-production.bench.ts';
import { runDocumentsBenchmark } from './issuance-documents.bench.ts';
import { runIssuanceEndToEndBenchmark } from './issuance-e2e.bench.ts';

const only = process.env['BENCH_ONLY'];
const residents = Number(process.env['BENCH_RESIDENTS'] ?? 1_000_000);
const crlEntries = Number(process.env['BENCH_CRL_ENTRIES'] ?? 1_000_000);
if (!only || only === 'startup') await runStartupBenchmark();
if (!only || only === 'jpki-verify') await runVerifyBenchmark();
if (!only || only === 'jpki-crl') await runCrlBenchmark(crlEntries);
if (!only || only === 'jpki-ocsp') await runOcspBenchmark();
if (!only || only === 'card-engine') await runCardEngineBenchmark();
if (!only || only === 'card-production') await runCardProductionBenchmark();
if (!only || only === 'card-vpcd') await runCardVpcdBenchmark();
if (!only || only === 'issuance-documents') await runDocumentsBenchmark();
if (!only || only === 'issuance-e2e') await runIssuanceEndToEndBenchmark();
if (!only || only === 'import') await runImportBenchmark(residents);
