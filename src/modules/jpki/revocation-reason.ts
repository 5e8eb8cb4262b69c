// The RFC 5280 §5.3.1 revocation reasons JPKI uses, and their CRLReason codes (shared by CRLs, OCSP and the API).

/** The reasons JPKI revokes for (docs/jpki.md says which event maps to which, and the source). */
export type RevocationReason = 'keyCompromise' | 'affiliationChanged' | 'superseded' | 'cessationOfOperation' | 'certificateHold';

/** CRLReason ::= ENUMERATED (RFC 5280 §5.3.1). */
export const REVOCATION_REASON_CODE: Readonly<Record<RevocationReason, number>> = {
  keyCompromise: 1,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
};

/** Every reason, for validation at the edges. */
export const REVOCATION_REASONS = Object.keys(REVOCATION_REASON_CODE) as RevocationReason[];
