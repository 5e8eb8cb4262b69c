// The kiosk flow in one call: sign the verification payload, render the PDF with its QR code, sign the PDF (PAdES B-B).
import type { PdfSigningIdentity } from './cades-signature.ts';
import type { CertificateDocument } from './certificate-document.ts';
import { renderCertificatePdf, type RenderOptions } from './render-certificate.ts';
import { signPdf } from './sign-pdf.ts';
import { makeVerificationPayload, type PayloadSigningKey } from './verification-payload.ts';

/** The keys a municipality issues with, and rendering options. */
export interface IssueOptions extends Omit<RenderOptions, 'verificationToken'> {
  payloadKey: PayloadSigningKey;
  signer: PdfSigningIdentity;
  /** The claimed signing time (/M); default now. */
  signingTime?: Date;
}

/**
 * A signed, verifiable certificate PDF for `doc`, with the token its QR code carries.
 *
 * @example
 * const { pdf, token } = await issueCertificatePdf(doc, { payloadKey, signer });
 */
export async function issueCertificatePdf(doc: CertificateDocument, options: IssueOptions): Promise<{ pdf: Uint8Array; token: string; timings: IssueTimings }> {
  const { payloadKey, signer, signingTime, ...render } = options;
  const started = performance.now();
  const token = await makeVerificationPayload(doc, payloadKey);
  const unsigned = await renderCertificatePdf(doc, { ...render, verificationToken: token });
  const rendered = performance.now();
  const pdf = await signPdf(unsigned, signer, {
    ...(signingTime ? { signingTime } : {}),
    location: `${doc.issuer.prefecture}${doc.issuer.municipalityName}`,
    name: doc.issuer.mayorTitle,
  });
  return { pdf, token, timings: { renderMs: rendered - started, signMs: performance.now() - rendered } };
}

/** How long the payload and rendering, and the PAdES signature, took (for the benchmark's stages). */
export interface IssueTimings {
  renderMs: number;
  signMs: number;
}
