// The JPKI module's public contract.
import type { BasicAttributes, CaKind } from './certificate-profiles.ts';
import type { RevocationReason } from './revocation-reason.ts';
import type { JWK } from 'jose';

export type { BasicAttributes, CaKind } from './certificate-profiles.ts';
export type { RevocationReason } from './revocation-reason.ts';

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

/** Where the holder lives, for the signing certificate's subject (romaji) and CRL distribution point (kanji). */
export interface HolderLocality {
  /** e.g. 東京都. */
  prefecture: string;
  /** e.g. 三鷹市. */
  municipality: string;
  /** e.g. Tokyo-to. */
  prefectureRomaji: string;
  /** e.g. Mitaka-shi. */
  municipalityRomaji: string;
}

/** What issuing needs: the card's public key and the person as the registry knows them. */
export interface IssueCertificateInput {
  kind: CaKind;
  /** DER SubjectPublicKeyInfo, RSA-2048 / e = 65537, as the card exports it. */
  subjectPublicKeyInfo: Uint8Array;
  holder: {
    /** 住民票コード: how J-LIS follows the person through the registry's change notices. */
    residentCode: string;
    /** The municipality issuing (住所地). */
    lgCode: string;
    /** `YYYY-MM-DD`; sets the validity and the age check. */
    birthDate: string;
  };
  /** The card's last valid day (`YYYY-MM-DD`, JST); certificates never outlive the card. */
  cardExpiresOn?: string;
  /** Signing certificates only: the 4 attributes and the locality. */
  signing?: {
    attributes: BasicAttributes;
    locality: HolderLocality;
    /** 9-character code of the issuing window (default: lgCode + '001'). */
    windowCode?: string;
  };
  /** Renewal: the certificate this one replaces, revoked as `superseded` in the same transaction. */
  replacesId?: string;
  /** The card the key pair lives on, when known (card module). */
  cardRef?: string;
  /** Who asked (recorded in the audit log). */
  actor: string;
}

/** 有効 / 一時停止 / 失効. */
export type CertificateStatus = 'good' | 'hold' | 'revoked';

/** An issued certificate as JPKI records it. */
export interface CertificateRecord {
  id: string;
  kind: CaKind;
  serialHex: string;
  caGeneration: number;
  /** JPKI's own id of the person (not a registry identifier). */
  holderId: string;
  lgCode: string;
  notBefore: Date;
  notAfter: Date;
  status: CertificateStatus;
  /** When it was put on hold or revoked. */
  statusChangedAt: Date | null;
  revocationReason: RevocationReason | null;
  replacesId: string | null;
  cardRef: string | null;
  issuedAt: Date;
  der: Uint8Array;
}

/** Which certificate: by id, or by serial (as relying parties and the CLI know it). */
export type CertificateRef = { id: string } | { serialHex: string };

/** A change the registry reports (住基ネット): what JPKI must revoke. */
export interface ResidentChangeNotice {
  /** The registry's outbox topic. */
  topic: 'resident.basic-attributes-changed' | 'resident.died' | 'resident.number-reissued';
  residentCode: string;
  occurredAt: Date;
}

/** A CRL as published. */
export interface PublishedCrl {
  kind: CaKind;
  generation: number;
  crlNumber: bigint;
  thisUpdate: Date;
  nextUpdate: Date;
  entries: number;
  /** DER CertificateList. */
  der: Uint8Array;
}

/** 署名検証者, 利用者証明検証者, or a platform operator (プラットフォーム事業者) acting for service providers. */
export type VerifierKind = 'signature' | 'user_authentication' | 'platform_operator';

/** A registered verifier. */
export interface VerifierRecord {
  id: string;
  name: string;
  kind: VerifierKind;
  /** Where revocation pushes go; null = no pushes. */
  webhookUrl: string | null;
  active: boolean;
  createdAt: Date;
}

/** What verifiers are billed for. */
export type BilledService = 'ocsp' | 'crl' | 'verify';

/** One line of a monthly statement; amounts are integer yen. */
export interface StatementLine {
  service: BilledService;
  label: string;
  quantity: number;
  unitYen: number;
  amountYen: number;
}

/** A verifier's bill for one month (JST). */
export interface MonthlyStatement {
  verifier: VerifierRecord;
  /** `YYYY-MM`. */
  month: string;
  lines: StatementLine[];
  totalYen: number;
}

/** What a relying party sends to have a signature verified. */
export type VerificationRequest = {
  /** DER of the signer's certificate (as read from the card). */
  certificate: Uint8Array;
  /** PKCS#1 v1.5 signature with SHA-256. */
  signature: Uint8Array;
  /** Require a signing or a user-authentication certificate. */
  expectedKind?: CaKind;
  /** Keep the certificate and return a certificate ID (for 現況確認 and revocation push). */
  store?: boolean;
} & ({ data: Uint8Array } | { digest: Uint8Array });

/** The answer: valid with the facts a relying party needs, or the first failed check. */
export type VerificationResult =
  | {
    valid: true;
    kind: CaKind;
    serialHex: string;
    notAfter: Date;
    /** Per verifier, stable across renewal. */
    userId: string;
    /** Signing certificates: the 4 basic attributes. */
    attributes?: BasicAttributes;
    /** When stored. */
    certificateId?: string;
  }
  | { valid: false; failure: string; detail: string };

/** 現況確認 of a stored certificate. */
export interface StoredCertificateStatus {
  certificateId: string;
  kind: CaKind;
  serialHex: string;
  userId: string;
  /** unchanged; changed (4 attributes changed: ask the person for fresh data); suspended; revoked; expired. */
  result: 'unchanged' | 'changed' | 'suspended' | 'revoked' | 'expired';
  reason?: string;
  since?: Date;
  /** Japanese guidance for the relying party's staff. */
  message: string;
}

/** The JPKI service (grows with issue #3). */
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

  /**
   * Issues a certificate from the issuing CA generation and records it. Throws JPKI_SIGNING_UNDER_15,
   * JPKI_PUBLIC_KEY_INVALID, JPKI_CARD_EXPIRED, JPKI_RENEWAL_MISMATCH, JPKI_REQUEST_INVALID.
   */
  issueCertificate(input: IssueCertificateInput): Promise<CertificateRecord>;
  /** One certificate; throws JPKI_CERTIFICATE_NOT_FOUND. */
  getCertificate(ref: CertificateRef): Promise<CertificateRecord>;
  /** The certificates of one person (by 住民票コード), newest first. */
  certificatesOfResident(residentCode: string): Promise<CertificateRecord[]>;

  /**
   * J-LIS internal (証明書交付センター): whose certificate this is — the 住民票コード and the issuing
   * municipality. Never exposed to verifiers, who get a per-verifier user id instead.
   */
  holderOf(ref: CertificateRef): Promise<{ residentCode: string; lgCode: string }>;

  /**
   * Revokes (失効). A certificate on hold can be revoked; a revoked one cannot (JPKI_CERTIFICATE_ALREADY_REVOKED).
   * `certificateHold` is not a revocation reason here: use holdCertificate.
   */
  revokeCertificate(ref: CertificateRef, reason: Exclude<RevocationReason, 'certificateHold'>, source: string): Promise<CertificateRecord>;
  /** 一時停止: certificateHold, until released or revoked. */
  holdCertificate(ref: CertificateRef, source: string): Promise<CertificateRecord>;
  /** 一時停止の解除: back to good (the card was found). */
  releaseHold(ref: CertificateRef, source: string): Promise<CertificateRecord>;
  /** Applies a registry change notice: revokes what it invalidates; returns the certificates revoked. */
  applyResidentChange(notice: ResidentChangeNotice): Promise<CertificateRecord[]>;

  /** Generates the next CRL of a CA generation (default: the issuing one) now. */
  generateCrl(kind: CaKind, generation?: number): Promise<PublishedCrl>;
  /** The CRL to serve: the newest, or a fresh one when the newest is past its nextUpdate. */
  currentCrl(kind: CaKind, generation?: number): Promise<PublishedCrl>;

  /** A registered verifier's CRL download (counted for billing); throws JPKI_VERIFIER_UNKNOWN. */
  downloadCrl(credential: string | undefined, kind: CaKind, generation?: number): Promise<PublishedCrl>;
  /**
   * Answers a DER OCSPRequest (undefined: unreadable) for a registered verifier, counted for billing.
   * Unknown credentials get the OCSP `unauthorized` status, bad requests `malformedRequest`; never throws.
   */
  answerOcsp(credential: string | undefined, kind: CaKind, request: Uint8Array | undefined): Promise<Uint8Array>;
  /** The same for a GET request's path segment (RFC 6960 §A.1.1: URL-encoded base64 of the DER). */
  answerOcspGet(credential: string | undefined, kind: CaKind, pathSegment: string): Promise<Uint8Array>;

  /** The verification API (billed per call): chain, validity, revocation, policy, key usage and the signature. */
  verifySignature(credential: string | undefined, request: VerificationRequest): Promise<VerificationResult>;
  /** 現況確認 of a certificate the verifier stored (billed as a verification). */
  storedCertificateStatus(credential: string | undefined, certificateId: string): Promise<StoredCertificateStatus>;
  /** Revocation push for a stored certificate on or off. */
  setSubscription(credential: string | undefined, certificateId: string, subscribed: boolean): Promise<void>;

  /** The public keys that sign revocation webhooks (JWKS), for receivers to verify X-JPKI-Signature. */
  webhookJwks(): Promise<{ keys: JWK[] }>;
  /** Sends the webhook deliveries that are due now (the server does this every few seconds). */
  deliverWebhooks(): Promise<{ delivered: number; failed: number }>;

  /** Registers a verifier; the credential is shown this once. */
  registerVerifier(input: { name: string; kind: VerifierKind; webhookUrl?: string }): Promise<{ verifier: VerifierRecord; credential: string }>;
  /** Every verifier, oldest first. */
  listVerifiers(): Promise<VerifierRecord[]>;
  /** The verifier a credential belongs to; throws JPKI_VERIFIER_UNKNOWN. */
  authenticateVerifier(credential: string | undefined): Promise<VerifierRecord>;
  /** Counts one billed use (the HTTP edge calls it for each CRL download). */
  countUsage(verifier: VerifierRecord, service: BilledService): void;
  /** The statement of one verifier for one month (`YYYY-MM`, JST). */
  monthlyStatement(verifierId: string, month: string): Promise<MonthlyStatement>;

  /** Starts the background work of a running server (usage flushing, scheduled CRLs, webhooks). */
  startBackgroundWork(): void;
  /** Stops it and writes what is pending. */
  stopBackgroundWork(): Promise<void>;
}
