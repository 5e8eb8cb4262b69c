// What a document worker thread runs: one certificate PDF issued (payload, render, PAdES signature) from a structured-clone task.
import type { CertificateDocument } from './certificate-document.ts';
import { issueCertificatePdf, type IssueOptions } from './issue-certificate-pdf.ts';

/** One document to issue; every field survives structured cloning (CryptoKey included). */
export interface IssueTask {
  doc: CertificateDocument;
  options: IssueOptions;
}

/** Issues the document; the PDF's buffer is handed back without a copy. */
export default async function issueInWorker(task: IssueTask): Promise<Uint8Array> {
  return (await issueCertificatePdf(task.doc, task.options)).pdf;
}
