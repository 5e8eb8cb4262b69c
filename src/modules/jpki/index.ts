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
