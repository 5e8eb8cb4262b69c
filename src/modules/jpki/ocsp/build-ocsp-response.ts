// Signing RFC 6960 OCSP responses (§4.2): a BasicOCSPResponse by a delegated responder, written as DER directly, and the unsigned error responses.
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { REVOCATION_REASON_CODE, type RevocationReason } from '../revocation-reason.ts';
import type { OcspCertId } from './parse-ocsp-request.ts';
import { certIdHashes } from './issuer-key-hashes.ts';

/** What the responder says about one certificate (RFC 6960 §4.2.1 CertStatus). */
export type OcspCertStatus =
  | { status: 'good' }
  | { status: 'revoked'; revokedAt: Date; reason: RevocationReason }
  | { status: 'unknown' };

/** One SingleResponse: the client's CertID echoed, its status, and how long the answer holds. */
export interface OcspSingleAnswer {
  certId: OcspCertId;
  certStatus: OcspCertStatus;
  thisUpdate: Date;
  /** When newer information will be available; clients cache the response until then (RFC 5019 §2.2.4). */
  nextUpdate?: Date;
}

/** The key that signs responses and its certificate, which is sent along so that clients can verify. */
export interface OcspResponder {
  /** DER of the responder certificate: a delegated OCSP-signing certificate, or the CA certificate itself. */
  certificate: Uint8Array;
  /** RSASSA-PKCS1-v1_5 with SHA-256, or ECDSA on P-256; the private half of the certificate's key. */
  privateKey: webcrypto.CryptoKey;
}

/** Signs responses with one responder; everything that does not change per response is prepared once. */
export interface OcspSigner {
  /** A successful OCSPResponse (id-pkix-ocsp-basic) answering `answers`, with the request's nonce echoed when given. */
  sign(producedAt: Date, answers: readonly OcspSingleAnswer[], nonce?: Uint8Array): Promise<Uint8Array>;
}

/** The unsigned error statuses (RFC 6960 §4.2.1); sigRequired is left out: JPKI never asks for signed requests. */
export type OcspErrorStatus = 'malformedRequest' | 'internalError' | 'tryLater' | 'unauthorized';

/** OCSPResponseStatus ::= ENUMERATED (RFC 6960 §4.2.1); successful is 0. */
const ERROR_STATUS: Readonly<Record<OcspErrorStatus, number>> = {
  malformedRequest: 1,
  internalError: 2,
  tryLater: 3,
  unauthorized: 6,
};

const TAG = {
  INTEGER: 0x02, BIT_STRING: 0x03, OCTET_STRING: 0x04, NULL: 0x05, OID: 0x06, ENUMERATED: 0x0a,
  GENERALIZED_TIME: 0x18, SEQUENCE: 0x30,
} as const;

/** DER content octets of the OIDs written here. */
const OID = {
  basic: Uint8Array.of(0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x01), // 1.3.6.1.5.5.7.48.1.1 id-pkix-ocsp-basic
  nonce: Uint8Array.of(0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x02), // 1.3.6.1.5.5.7.48.1.2 id-pkix-ocsp-nonce
  sha256WithRSAEncryption: Uint8Array.of(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b), // 1.2.840.113549.1.1.11
  ecdsaWithSHA256: Uint8Array.of(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02), // 1.2.840.10045.4.3.2
} as const;

/**
 * Prepares a responder for signing many responses: checks the key against the certificate once,
 * and encodes the ResponderID (byKey: SHA-1 of the certificate's key bits, §4.2.2.3), the
 * signature AlgorithmIdentifier and the `certs` field once, so that each response costs one
 * signature and a few hundred bytes of DER. The key decides the algorithm: RSASSA-PKCS1-v1_5 /
 * SHA-256 signs sha256WithRSAEncryption (RFC 4055 §5), ECDSA P-256 signs ecdsa-with-SHA256 (RFC 5758 §3.2).
 * Throws a TypeError for another kind of key, or one that is not the certificate's.
 *
 * @example
 * const signer = await createOcspSigner({ certificate: responderDer, privateKey });
 * const der = await signer.sign(new Date(), [{ certId, certStatus: { status: 'good' }, thisUpdate, nextUpdate }], request.nonce);
 */
export async function createOcspSigner(responder: OcspResponder): Promise<OcspSigner> {
  const { certificate, privateKey } = responder;
  if (!(certificate instanceof Uint8Array)) throw new TypeError('responder.certificate must be DER in a Uint8Array');
  const algorithm = signatureAlgorithm(privateKey);
  let publicKey: webcrypto.CryptoKey;
  try {
    publicKey = await new x509.X509Certificate(certificate).publicKey.export(algorithm.importParams, ['verify'], webcrypto);
  } catch (cause) {
    throw new TypeError('responder.certificate is not a certificate whose key matches the private key\'s algorithm', { cause });
  }
  // A key that is not the certificate's would sign responses no client accepts; better to fail at start-up.
  const probe = new TextEncoder().encode('myna-platform OCSP responder key check');
  const probeSignature = await webcrypto.subtle.sign(algorithm.signParams, privateKey, probe);
  if (!await webcrypto.subtle.verify(algorithm.signParams, publicKey, probeSignature, probe)) {
    throw new TypeError('responder.privateKey is not the private key of responder.certificate');
  }

  // ResponderID ::= CHOICE { byName [1] Name, byKey [2] KeyHash }: the OCSP module uses EXPLICIT tags.
  const responderId = der(0xa2, der(TAG.OCTET_STRING, certIdHashes(certificate).sha1.keyHash));
  const signatureAlgorithmDer = algorithm.identifier;
  // certs [0] EXPLICIT SEQUENCE OF Certificate: the responder certificate, so clients can check it (§4.2.2.2).
  const certs = der(0xa0, der(TAG.SEQUENCE, certificate.slice()));

  return {
    async sign(producedAt, answers, nonce) {
      const tbsResponseData = der(TAG.SEQUENCE,
        // version [0] EXPLICIT DEFAULT v1 is left out, as DER requires for a default.
        responderId,
        generalizedTime(producedAt, 'producedAt'),
        der(TAG.SEQUENCE, ...singleResponses(answers)),
        ...(nonce === undefined ? [] : [nonceExtension(nonce)]),
      );
      const signature = new Uint8Array(await webcrypto.subtle.sign(algorithm.signParams, privateKey, tbsResponseData));
      const basicOcspResponse = der(TAG.SEQUENCE,
        tbsResponseData,
        signatureAlgorithmDer,
        der(TAG.BIT_STRING, Uint8Array.of(0), algorithm.ecdsa ? ecdsaSigValue(signature) : signature),
        certs,
      );
      return der(TAG.SEQUENCE,
        der(TAG.ENUMERATED, Uint8Array.of(0)), // successful
        der(0xa0, der(TAG.SEQUENCE, der(TAG.OID, OID.basic), der(TAG.OCTET_STRING, basicOcspResponse))),
      );
    },
  };
}

/**
 * A successful OCSPResponse in one call. A responder answering many requests should keep a
 * {@link createOcspSigner} instead, which checks and encodes the responder once.
 *
 * @example
 * const der = await buildOcspResponse({ responder, producedAt: new Date(), answers, nonce: request.nonce });
 */
export async function buildOcspResponse(params: {
  responder: OcspResponder;
  producedAt: Date;
  answers: readonly OcspSingleAnswer[];
  nonce?: Uint8Array;
}): Promise<Uint8Array> {
  const signer = await createOcspSigner(params.responder);
  return signer.sign(params.producedAt, params.answers, params.nonce);
}

/**
 * An unsuccessful OCSPResponse: the status alone, no responseBytes and so no signature (RFC 6960
 * §4.2.1), 5 bytes that can be sent as they are.
 *
 * @example
 * buildOcspErrorResponse('malformedRequest') // 30 03 0a 01 01
 */
export function buildOcspErrorResponse(status: OcspErrorStatus): Uint8Array {
  const code = Object.hasOwn(ERROR_STATUS, status) ? ERROR_STATUS[status] : undefined;
  if (code === undefined) throw new TypeError(`not an OCSP error status: ${String(status)}`);
  return der(TAG.SEQUENCE, der(TAG.ENUMERATED, Uint8Array.of(code)));
}

// ---------------------------------------------------------------------------------------------
// Parts of the response
// ---------------------------------------------------------------------------------------------

interface SignatureAlgorithm {
  signParams: webcrypto.AlgorithmIdentifier | webcrypto.EcdsaParams;
  importParams: webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams;
  /** The DER AlgorithmIdentifier for signatureAlgorithm. */
  identifier: Uint8Array;
  /** WebCrypto's ECDSA signature is r‖s (IEEE P1363); X.509 wants the DER Ecdsa-Sig-Value. */
  ecdsa: boolean;
}

function signatureAlgorithm(key: webcrypto.CryptoKey): SignatureAlgorithm {
  if (key?.type !== 'private' || !key.usages.includes('sign')) {
    throw new TypeError('responder.privateKey must be a private CryptoKey usable for signing');
  }
  const algorithm = key.algorithm as webcrypto.RsaHashedKeyAlgorithm | webcrypto.EcKeyAlgorithm;
  if (algorithm.name === 'RSASSA-PKCS1-v1_5' && (algorithm as webcrypto.RsaHashedKeyAlgorithm).hash.name === 'SHA-256') {
    return {
      signParams: { name: 'RSASSA-PKCS1-v1_5' },
      importParams: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      // RFC 4055 §5: the parameters are NULL for sha256WithRSAEncryption.
      identifier: der(TAG.SEQUENCE, der(TAG.OID, OID.sha256WithRSAEncryption), der(TAG.NULL)),
      ecdsa: false,
    };
  }
  if (algorithm.name === 'ECDSA' && (algorithm as webcrypto.EcKeyAlgorithm).namedCurve === 'P-256') {
    return {
      signParams: { name: 'ECDSA', hash: 'SHA-256' },
      importParams: { name: 'ECDSA', namedCurve: 'P-256' },
      // RFC 5758 §3.2: ecdsa-with-SHA256 has no parameters at all.
      identifier: der(TAG.SEQUENCE, der(TAG.OID, OID.ecdsaWithSHA256)),
      ecdsa: true,
    };
  }
  throw new TypeError('responder.privateKey must be RSASSA-PKCS1-v1_5 with SHA-256, or ECDSA on P-256');
}

function singleResponses(answers: readonly OcspSingleAnswer[]): Uint8Array[] {
  if (!Array.isArray(answers) || answers.length === 0) throw new TypeError('answers must be a non-empty array');
  return answers.map((answer) => {
    const { certId, certStatus, thisUpdate, nextUpdate } = answer;
    if (!(certId?.raw instanceof Uint8Array)) throw new TypeError('answer.certId must be a CertID from parseOcspRequest');
    const thisUpdateDer = generalizedTime(thisUpdate, 'thisUpdate');
    const nextUpdateDer = nextUpdate === undefined ? [] : [der(0xa0, generalizedTime(nextUpdate, 'nextUpdate'))];
    if (nextUpdate !== undefined && nextUpdate.getTime() <= thisUpdate.getTime()) throw new TypeError('nextUpdate must be after thisUpdate');
    // The client's CertID byte for byte: clients compare it with the one they sent (§4.2.2.3).
    return der(TAG.SEQUENCE, certId.raw, certStatusDer(certStatus), thisUpdateDer, ...nextUpdateDer);
  });
}

/** CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo, unknown [2] IMPLICIT UnknownInfo }. */
function certStatusDer(certStatus: OcspCertStatus): Uint8Array {
  switch (certStatus?.status) {
    case 'good': return der(0x80);
    case 'unknown': return der(0x82);
    case 'revoked': {
      const code = Object.hasOwn(REVOCATION_REASON_CODE, certStatus.reason) ? REVOCATION_REASON_CODE[certStatus.reason] : undefined;
      if (code === undefined) throw new TypeError(`unknown revocation reason: ${String(certStatus.reason)}`);
      // RevokedInfo ::= SEQUENCE { revocationTime GeneralizedTime, revocationReason [0] EXPLICIT CRLReason OPTIONAL }
      return der(0xa1, generalizedTime(certStatus.revokedAt, 'revokedAt'), der(0xa0, der(TAG.ENUMERATED, Uint8Array.of(code))));
    }
    default: throw new TypeError(`unknown certificate status: ${String((certStatus as { status?: unknown } | undefined)?.status)}`);
  }
}

/** responseExtensions [1] EXPLICIT Extensions with the nonce, its extnValue echoed byte for byte (RFC 9654 §2.1). */
function nonceExtension(nonce: Uint8Array): Uint8Array {
  if (!(nonce instanceof Uint8Array) || nonce.length === 0) throw new TypeError('nonce must be the non-empty extnValue from parseOcspRequest');
  return der(0xa1, der(TAG.SEQUENCE, der(TAG.SEQUENCE, der(TAG.OID, OID.nonce), der(TAG.OCTET_STRING, nonce))));
}

/**
 * GeneralizedTime `YYYYMMDDHHMMSSZ`, rounded down to the second: RFC 5280 §4.1.2.5.2 forbids
 * fractions there and OpenSSL compares these times; rounding down never dates an answer later than it was made.
 */
function generalizedTime(date: Date, what: string): Uint8Array {
  const year = date instanceof Date ? date.getUTCFullYear() : Number.NaN;
  if (!(year >= 0 && year <= 9999)) throw new TypeError(`${what} must be a valid date in years 0000..9999`);
  // The UTC fields leave the milliseconds out, which is rounding down (before 1970 too).
  const text = pad(year, 4) + pad(date.getUTCMonth() + 1) + pad(date.getUTCDate()) + pad(date.getUTCHours()) + pad(date.getUTCMinutes()) + pad(date.getUTCSeconds());
  return der(TAG.GENERALIZED_TIME, ASCII.encode(`${text}Z`));
}

const ASCII = new TextEncoder();

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 3279 §2.2.3) from WebCrypto's r‖s. */
function ecdsaSigValue(rs: Uint8Array): Uint8Array {
  const half = rs.length / 2;
  return der(TAG.SEQUENCE, der(TAG.INTEGER, unsignedInteger(rs.subarray(0, half))), der(TAG.INTEGER, unsignedInteger(rs.subarray(half))));
}

/** Minimal two's-complement content of a non-negative big-endian number. */
function unsignedInteger(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return (trimmed[0] ?? 0) & 0x80 ? Uint8Array.of(0, ...trimmed) : trimmed;
}

// ---------------------------------------------------------------------------------------------
// DER writing (X.690 §10.1: definite lengths in the fewest octets)
// ---------------------------------------------------------------------------------------------

/** One TLV whose content is `parts` concatenated. */
function der(tag: number, ...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  // 3 length octets reach 16 MiB; a response is a few kilobytes.
  if (length >= 0x1000000) throw new RangeError('DER content over 16 MiB');
  const lengthOctets = length < 0x80 ? 0 : length < 0x100 ? 1 : length < 0x10000 ? 2 : 3;
  const out = new Uint8Array(2 + lengthOctets + length);
  out[0] = tag;
  out[1] = lengthOctets === 0 ? length : 0x80 | lengthOctets;
  for (let i = lengthOctets; i > 0; i--) out[1 + i] = (length >>> (8 * (lengthOctets - i))) & 0xff;
  let offset = 2 + lengthOctets;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
