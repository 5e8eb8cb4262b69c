// Worker threads that issue certificate PDFs, so rendering and signing (≈ 15 ms of CPU each) run beside the event loop, not on it.
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { CertificateDocument } from './certificate-document.ts';
import { issueCertificatePdf, type IssueOptions } from './issue-certificate-pdf.ts';
import type { IssueTask } from './issue-in-worker.ts';

/** Issues certificate PDFs; `close` ends the threads. */
export interface DocumentPool {
  issue(doc: CertificateDocument, options: IssueOptions): Promise<Uint8Array>;
  close(): Promise<void>;
}

/**
 * A pool of `threads` workers (default: one per core), started at the first document. With
 * `threads: 0` documents are issued on the calling thread (same result, no worker start-up).
 *
 * @example
 * const pool = createDocumentPool();
 * const pdf = await pool.issue(doc, { payloadKey, signer, signingTime: doc.issuedAt });
 */
export function createDocumentPool(options: { threads?: number } = {}): DocumentPool {
  const threads = options.threads ?? availableParallelism();
  if (threads === 0) {
    return { issue: async (doc, issueOptions) => (await issueCertificatePdf(doc, issueOptions)).pdf, close: async () => {} };
  }
  let pool: Piscina | undefined;
  return {
    issue(doc, issueOptions) {
      pool ??= new Piscina({
        filename: new URL('./issue-worker-entry.mjs', import.meta.url).href,
        minThreads: 0, maxThreads: threads,
        // A busy kiosk network keeps them; a quiet server gives the memory (two parsed fonts each) back.
        idleTimeout: 60_000,
      });
      const task: IssueTask = { doc, options: issueOptions };
      return pool.run(task) as Promise<Uint8Array>;
    },
    async close() {
      await pool?.destroy();
      pool = undefined;
    },
  };
}
