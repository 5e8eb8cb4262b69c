// The JPKI module's one public door (DESIGN §2).
import 'reflect-metadata';

export { createJpki } from './create-jpki.ts';
export type { JpkiDeps } from './config.ts';
export type * from './contract.ts';
export type { KeyStore, StoredKeyPair } from './key-store.ts';
export { createSealedKeyStore } from './sealed-key-store.ts';
export { loadSealingKey } from './load-sealing-key.ts';
export { jpkiErrors, type JpkiErrorCode } from './errors.ts';
export { jpkiMigrations } from './migrations/index.ts';
export { jpkiRoutes } from './http/routes.ts';
export { readBasicAttributes, readCertificatePolicyOids, JPKI_POLICY_OID } from './certificate-profiles.ts';
export { REVOCATION_REASONS, REVOCATION_REASON_CODE } from './revocation-reason.ts';
export { buildCaCertificate, buildUserAuthCertificate, buildSigningCertificate } from './certificate-profiles.ts';
export { prepareAnchors, verifyCertificate } from './verification/verify-certificate.ts';
export type { TrustAnchor, PreparedAnchors, RevocationLookup, RevocationStatus, CertificateCheck, CertificateRejection, VerificationFailure } from './verification/verify-certificate.ts';
export { verifySignature } from './verification/verify-signature.ts';
export { createVerifierClient, type VerifierClient, type VerifierClientOptions, type SignatureToVerify } from './sdk/verifier-client.ts';
export { parseOcspRequest, decodeOcspGetPath, OcspMalformedRequest } from './ocsp/parse-ocsp-request.ts';
export { certIdHashes } from './ocsp/issuer-key-hashes.ts';
export { enqueueStatusWebhooks, type WebhookPayload, type WebhookEventType } from './webhooks/enqueue-status-webhooks.ts';
export { createWebhookDispatcher, webhookRetryDelayMs, WEBHOOK_MAX_ATTEMPTS, type WebhookDispatcher, type WebhookDispatcherOptions } from './webhooks/webhook-dispatcher.ts';
export { webhookPublicJwks, verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_DELIVERY_HEADER } from './webhooks/webhook-signer.ts';
export { buildCrl, type CrlEntry } from './crl/build-crl.ts';
