// The certificate documents (コンビニ交付): render, sign (PAdES B-B) and verify A4 certificate PDFs — the barrel the issuance module's door re-exports.
export type {
  CertificateDocument, CertificateIssuer, CertificateKind, DocumentSection, FieldRow, FieldsSection, TableColumn, TableSection,
} from './certificate-document.ts';
export { CERTIFICATE_KINDS } from './certificate-document.ts';
export { japaneseEraDate, type EraDateOptions } from './japanese-era.ts';
export { canonicalJson, contentDigest, documentContent, CONTENT_VERSION } from './document-content.ts';
export {
  makeVerificationPayload, readVerificationPayload, VERIFICATION_TOKEN_TYPE,
  type PayloadKeys, type PayloadRejection, type PayloadSigningKey, type VerificationPayload,
} from './verification-payload.ts';
export { renderCertificatePdf, type RenderOptions } from './render-certificate.ts';
export { signPdf, CadesSigner, type SignPdfOptions } from './sign-pdf.ts';
export type { PdfSigningIdentity } from './cades-signature.ts';
export { INFO_KEYS } from './pdf-signature-fields.ts';
export { verifyCertificatePdf, type CertificateVerification, type VerificationCode, type VerificationTrust } from './verify-certificate-pdf.ts';
export { issueCertificatePdf, type IssueOptions } from './issue-certificate-pdf.ts';
export { sampleCertificate, syntheticSealPng, SAMPLE_ISSUER } from './sample-certificates.ts';
export { makeTestPayloadKey, makeTestSigningAuthority, type TestSigningAuthority } from './test-signing-identity.ts';
