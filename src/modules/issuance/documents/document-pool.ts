// Worker threads that issue certificate PDFs, so rendering and signing (≈ 15 ms of CPU each) run beside the event loop, not on it.
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { CertificateDocument } from './certificate-document.ts';
import { recordStage } from '../../../kernel/stage-timings.ts';
import { issueCertificatePdf, type IssueOptions, type IssueTimings } from './issue-certificate-pdf.ts';
import type { IssueTask } from './issue-in-worker.ts';

/** The PDF, its render and signature times sent to the stage timings. */
function reported(issued: { pdf: Uint8Array; timings: IssueTimings }): Uint8Array {
  recordStage('pdf', issued.timings.renderMs);
  recordStage('signature', issued.timings.signMs);
  return issued.pdf;
}

/** Issues certificate PDFs; `close` ends the threads. */
export interface DocumentPool {
  issue(doc: CertificateDocument, options: IssueOptions): Promise<Uint8Array>;
  close(): Promise<void>;
}

/**
 * A pool of `threads` workers (default: one per core), all started at the first document. With
 * `threads: 0` documents are issued on the calling thread (same result, no worker start-up).
 *
 * @example
 * const pool = createDocumentPool();
 * const pdf = await pool.issue(doc, { payloadKey, signer, signingTime: doc.issuedAt });
 */
export function createDocumentPool(options: { threads?: number } = {}): DocumentPool {
  const threads = options.threads ?? availableParallelism();
  if (threads === 0) {
    return { issue: async (doc, issueOptions) => reported(await issueCertificatePdf(doc, issueOptions)), close: async () => {} };
  }
  let pool: Piscina | undefined;
  return {
    async issue(doc, issueOptions) {
      pool ??= new Piscina({
        filename: new URL('./issue-worker-entry.mjs', import.meta.url).href,
        // All started with the first document and kept: a thread's first document costs ≈ 0.8 s (loader,
        // fonts, JIT), which a resident at a kiosk should not wait for again after a quiet hour.
        minThreads: threads, maxThreads: threads,
      });
      const task: IssueTask = { doc, options: issueOptions };
      return reported(await pool.run(task) as { pdf: Uint8Array; timings: IssueTimings });
    },
    async close() {
      await pool?.destroy();
      pool = undefined;
    },
  };
}
