// What a document worker thread runs: one certificate PDF issued (payload, render, PAdES signature) from a structured-clone task.
import type { CertificateDocument } from './certificate-document.ts';
import { issueCertificatePdf, type IssueOptions, type IssueTimings } from './issue-certificate-pdf.ts';

/** One document to issue; every field survives structured cloning (CryptoKey included). */
export interface IssueTask {
  doc: CertificateDocument;
  options: IssueOptions;
}

/** Issues the document; returns the PDF with how long rendering and signing took. */
export default async function issueInWorker(task: IssueTask): Promise<{ pdf: Uint8Array; timings: IssueTimings }> {
  const { pdf, timings } = await issueCertificatePdf(task.doc, task.options);
  return { pdf, timings };
}
