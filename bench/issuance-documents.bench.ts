// Benchmark: rendering and PAdES signing of the six certificates (p50/p99 each, after warm-up), and one core's sequential throughput.
//
// Run: `BENCH_ONLY=issuance-documents npm run bench` (BENCH_DOCUMENTS scales the samples per kind, default 100).
import { pathToFileURL } from 'node:url';
import {
  CERTIFICATE_KINDS, makeTestPayloadKey, makeTestSigningAuthority, makeVerificationPayload, renderCertificatePdf, sampleCertificate, signPdf, verifyCertificatePdf,
} from '../src/modules/issuance/index.ts';

/** The kiosk flow's budget for one certificate (render + sign) on one core, after warm-up. */
const TARGET_P50_MS = 50;

function summary(samples: number[]): { p50Ms: number; p99Ms: number; samples: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  return { p50Ms: Math.round(at(50) * 100) / 100, p99Ms: Math.round(at(99) * 100) / 100, samples: samples.length };
}

/** Prints one JSON line: per kind and overall, render / token / sign / verify timings and the size of the signed PDF. */
export async function runDocumentsBenchmark(perKind = Number(process.env['BENCH_DOCUMENTS'] ?? 100)): Promise<void> {
  const { identity, caCertificate } = await makeTestSigningAuthority();
  const { key, jwks } = await makeTestPayloadKey();
  const docs = CERTIFICATE_KINDS.map((kind) => sampleCertificate(kind));
  const all = { token: [] as number[], render: [] as number[], sign: [] as number[], verify: [] as number[] };
  const kinds: Record<string, { renderP50Ms: number; signP50Ms: number; bytes: number }> = {};
  const startup = performance.now();
  // Warm-up: the first document parses the fonts (≈ 0.1 s); JIT settles over the next few dozen.
  for (let i = 0; i < 30; i++) {
    const doc = docs[i % docs.length]!;
    await signPdf(await renderCertificatePdf(doc, { verificationToken: await makeVerificationPayload(doc, key) }), identity);
  }
  const warmUpMs = performance.now() - startup;
  const sequential = performance.now();
  for (const doc of docs) {
    const render: number[] = [];
    const sign: number[] = [];
    let bytes = 0;
    for (let i = 0; i < perKind; i++) {
      const t0 = performance.now();
      const token = await makeVerificationPayload(doc, key);
      const t1 = performance.now();
      const pdf = await renderCertificatePdf(doc, { verificationToken: token });
      const t2 = performance.now();
      const signed = await signPdf(pdf, identity);
      const t3 = performance.now();
      all.token.push(t1 - t0);
      render.push(t2 - t1);
      sign.push(t3 - t2);
      bytes = signed.length;
      if (i % 10 === 0) {
        const t4 = performance.now();
        const v = await verifyCertificatePdf(signed, { pdfSigningCas: [caCertificate], payloadKeys: jwks });
        all.verify.push(performance.now() - t4);
        if (v.result !== 'genuine') throw new Error(`${doc.kind}: ${v.code}`);
      }
    }
    all.render.push(...render);
    all.sign.push(...sign);
    kinds[doc.kind] = { renderP50Ms: summary(render).p50Ms, signP50Ms: summary(sign).p50Ms, bytes };
  }
  const certificates = docs.length * perKind;
  const perSecond = Math.round((certificates / ((performance.now() - sequential) / 1000)) * 10) / 10;
  const total = all.render.map((r, i) => r + all.sign[i]!);
  console.log(JSON.stringify({
    bench: 'documents',
    warmUpMs: Math.round(warmUpMs),
    token: summary(all.token), render: summary(all.render), sign: summary(all.sign), renderPlusSign: summary(total), verify: summary(all.verify),
    kinds,
    sequentialPerSecondOneCore: perSecond,
    target: { renderPlusSignP50Ms: TARGET_P50_MS },
    pass: summary(total).p50Ms < TARGET_P50_MS,
  }));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runDocumentsBenchmark();
