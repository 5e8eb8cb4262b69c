// The JPKI module's public contract.
import type { CaKind } from './certificate-profiles.ts';

export type { CaKind } from './certificate-profiles.ts';

/** One generation of a CA (署名用 or 利用者証明用). */
export interface CaGeneration {
  id: string;
  kind: CaKind;
  generation: number;
  serialHex: string;
  notBefore: Date;
  notAfter: Date;
  /** The generation that issues new certificates; older ones stay for verification. */
  issuing: boolean;
  /** The CA certificate, DER. */
  certificate: Uint8Array;
}

/** The JPKI service (grows with issue #3: issuing, revocation, CRL, OCSP, verification). */
export interface JpkiService {
  /**
   * Creates both CAs (`jpki init`). Idempotent: existing CAs are returned unchanged unless
   * `newGeneration` is set, which adds a generation that takes over issuing (key rollover).
   */
  initCertificateAuthorities(options?: { newGeneration?: boolean }): Promise<{ created: CaGeneration[]; existing: CaGeneration[] }>;
  /** Every generation of a CA, newest first. */
  caGenerations(kind: CaKind): Promise<CaGeneration[]>;
  /** The issuing generation; throws JPKI_CA_NOT_INITIALISED. */
  issuingCa(kind: CaKind): Promise<CaGeneration>;
}
