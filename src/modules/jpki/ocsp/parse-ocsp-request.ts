// Reading an RFC 6960 OCSPRequest (§4.1.1) strictly, by POST body or GET path (§A.1), into the CertIDs to answer and the nonce to echo.

/**
 * The request could not be read: not DER, not an OCSPRequest, or outside the limits below. The
 * responder answers it with `malformedRequest` (RFC 6960 §4.2.1); the message is internal detail
 * for the log, never sent to the client.
 */
export class OcspMalformedRequest extends Error {
  override name = 'OcspMalformedRequest';
}

/** One CertID of the request (RFC 6960 §4.1.1), enough to find the certificate and to echo the CertID back. */
export interface OcspCertId {
  /**
   * The hash the client used for the two issuer hashes. `other` for any algorithm we do not compute:
   * RFC 6960 §4.2.2.3 wants such a CertID answered `unknown`, not the whole request refused.
   */
  hashAlgorithm: 'sha1' | 'sha256' | 'other';
  issuerNameHash: Uint8Array;
  issuerKeyHash: Uint8Array;
  /**
   * The serial as stored (`Buffer.from(serial).toString('hex')`): lowercase, byte by byte, without the
   * 00 octet DER puts in front of a serial whose first bit is set. Zero is `00`; a negative serial
   * (never issued by a conforming CA, RFC 5280 §4.1.2.2) is `-` + its magnitude, so it cannot
   * collide with a positive one.
   */
  serialHex: string;
  /** The CertID DER exactly as received: the SingleResponse must carry the client's CertID back (§4.2.2.3). */
  raw: Uint8Array;
}

export interface OcspRequestInfo {
  /** In request order; 1..{@link MAX_CERT_IDS}. */
  certIds: OcspCertId[];
  /**
   * The id-pkix-ocsp-nonce extnValue content (the DER of `Nonce ::= OCTET STRING`, RFC 9654 §2.1),
   * to be echoed verbatim in the response. Absent when the client sent none.
   */
  nonce?: Uint8Array;
}

/**
 * At most this many CertIDs per request. RFC 6960 sets no limit; each CertID costs a database
 * lookup, and real clients (browsers, OpenSSL, Windows) ask about one certificate at a time.
 */
export const MAX_CERT_IDS = 20;

/** RFC 9654 §2.1: a nonce of 0 octets or more than 128 must be refused with malformedRequest. */
const MAX_NONCE_OCTETS = 128;

/** OIDs as the content octets of their DER encoding, in hex: comparing bytes spares decoding them. */
const OID_HEX = {
  sha1: '2b0e03021a', // 1.3.14.3.2.26
  sha256: '608648016503040201', // 2.16.840.1.101.3.4.2.1
  nonce: '2b0601050507300102', // 1.3.6.1.5.5.7.48.1.2 id-pkix-ocsp-nonce
} as const;

const HASH_OCTETS = { sha1: 20, sha256: 32 } as const;

const TAG = {
  BOOLEAN: 0x01, INTEGER: 0x02, OCTET_STRING: 0x04, NULL: 0x05, OID: 0x06, SEQUENCE: 0x30,
  /** [n] constructed, context-specific: the EXPLICIT tags of OCSPRequest. */
  CTX0: 0xa0, CTX1: 0xa1, CTX2: 0xa2,
} as const;

/**
 * The OCSPRequest in a DER body (`application/ocsp-request`). Strict: DER lengths only (no
 * indefinite or padded lengths, no constructed strings), nothing after the request, 1..20 CertIDs,
 * hash lengths that fit the algorithm, no critical extension we do not know, a nonce of 1..128 octets.
 * Explicitly encoded DEFAULT values (version v1, critical FALSE) are tolerated, being unambiguous.
 * A signed request is read, its signature ignored: JPKI answers anyone (RFC 6960 §4.1.2 makes signing optional).
 * Throws OcspMalformedRequest.
 *
 * @example
 * const { certIds, nonce } = parseOcspRequest(body);
 * // certIds[0].serialHex === '1234', certIds[0].hashAlgorithm === 'sha1'
 */
export function parseOcspRequest(der: Uint8Array): OcspRequestInfo {
  if (!(der instanceof Uint8Array)) throw new TypeError('der must be a Uint8Array');
  const outer = new DerCursor(der, 0, der.length);
  const ocspRequest = outer.inside(outer.next(TAG.SEQUENCE, 'OCSPRequest'));
  outer.end('after the OCSPRequest');

  const tbsRequest = ocspRequest.inside(ocspRequest.next(TAG.SEQUENCE, 'TBSRequest'));
  // optionalSignature [0] EXPLICIT Signature: read past, not checked.
  ocspRequest.optional(TAG.CTX0);
  ocspRequest.end('in OCSPRequest');

  const version = tbsRequest.optional(TAG.CTX0);
  if (version) checkVersion(version);
  // requestorName [1] EXPLICIT GeneralName: only meaningful with a signature, which we ignore.
  tbsRequest.optional(TAG.CTX1);
  const requestList = tbsRequest.inside(tbsRequest.next(TAG.SEQUENCE, 'requestList'));
  const requestExtensions = tbsRequest.optional(TAG.CTX2);
  tbsRequest.end('in TBSRequest');

  const certIds: OcspCertId[] = [];
  while (!requestList.atEnd()) {
    if (certIds.length === MAX_CERT_IDS) throw malformed(`more than ${MAX_CERT_IDS} CertIDs`);
    certIds.push(readRequest(requestList.inside(requestList.next(TAG.SEQUENCE, 'Request'))));
  }
  if (certIds.length === 0) throw malformed('the requestList is empty');

  const info: OcspRequestInfo = { certIds };
  if (requestExtensions) {
    const extensions = readExtensions(requestExtensions.inside(requestExtensions.next(TAG.SEQUENCE, 'requestExtensions')), 'request');
    requestExtensions.end('after requestExtensions');
    const nonce = extensions.get(OID_HEX.nonce);
    if (nonce) info.nonce = checkNonce(nonce);
  }
  return info;
}

/**
 * The DER request inside a GET URL (RFC 6960 §A.1.1: `{url}/{url-encoding of base-64 encoding of the
 * DER encoding of the OCSPRequest}`), given the path segment after the responder's prefix. Accepts
 * percent-encoded `+ / =` (`%2B %2F %3D`, either case) as well as raw `+` and `/`, which clients
 * often leave unescaped; `+` is a base64 character here, never a space. Padding may be omitted.
 * Only the standard base64 alphabet (RFC 4648 §4) is read. Throws OcspMalformedRequest; the DER
 * itself is checked by parseOcspRequest.
 *
 * @example
 * parseOcspRequest(decodeOcspGetPath('MEIwQDA%2BMDwwOjAJBgUrDgMCGgUABBQ…'));
 */
export function decodeOcspGetPath(pathSegment: string): Uint8Array {
  if (typeof pathSegment !== 'string') throw new TypeError('pathSegment must be a string');
  let base64: string;
  try {
    base64 = decodeURIComponent(pathSegment);
  } catch {
    throw malformed('the GET path has an invalid percent-encoding');
  }
  // Buffer.from(…, 'base64') skips characters it does not know; checking first keeps garbage out.
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) throw malformed('the GET path is not base64');
  const unpadded = base64.replace(/=+$/, '');
  if (unpadded.length % 4 === 1 || (base64 !== unpadded && base64.length % 4 !== 0)) throw malformed('the GET path has a base64 length that cannot be');
  const der = new Uint8Array(Buffer.from(unpadded, 'base64'));
  if (der.length === 0) throw malformed('the GET path is empty');
  return der;
}

// ---------------------------------------------------------------------------------------------
// The parts of the request
// ---------------------------------------------------------------------------------------------

function malformed(message: string): OcspMalformedRequest {
  return new OcspMalformedRequest(message);
}

/** `version [0] EXPLICIT Version DEFAULT v1`: only v1 (0) exists. */
function checkVersion(version: DerCursor): void {
  const value = version.content(version.next(TAG.INTEGER, 'version'));
  version.end('after version');
  if (value.length !== 1 || value[0] !== 0) throw malformed('unsupported OCSPRequest version');
}

/** `Request ::= SEQUENCE { reqCert CertID, singleRequestExtensions [0] EXPLICIT Extensions OPTIONAL }`. */
function readRequest(request: DerCursor): OcspCertId {
  const certIdTlv = request.next(TAG.SEQUENCE, 'CertID');
  const certId = readCertId(request.inside(certIdTlv), request.raw(certIdTlv));
  const singleExtensions = request.optional(TAG.CTX0);
  if (singleExtensions) {
    // None is understood (RFC 6960 defines only the service locator, which we do not act on).
    readExtensions(singleExtensions.inside(singleExtensions.next(TAG.SEQUENCE, 'singleRequestExtensions')), 'single request');
    singleExtensions.end('after singleRequestExtensions');
  }
  request.end('in Request');
  return certId;
}

function readCertId(certId: DerCursor, raw: Uint8Array): OcspCertId {
  const algorithm = certId.inside(certId.next(TAG.SEQUENCE, 'hashAlgorithm'));
  const oid = hex(algorithm.content(algorithm.next(TAG.OID, 'hash algorithm OID')));
  const hashAlgorithm = oid === OID_HEX.sha1 ? 'sha1' : oid === OID_HEX.sha256 ? 'sha256' : 'other';
  if (!algorithm.atEnd()) {
    // SHA parameters are absent or NULL (RFC 5754 §2: both are seen); other algorithms may have any.
    const parameters = algorithm.next(undefined, 'hash parameters');
    if (hashAlgorithm !== 'other' && (parameters.tag !== TAG.NULL || parameters.end !== parameters.contentStart)) {
      throw malformed('SHA hash parameters must be absent or NULL');
    }
  }
  algorithm.end('in hashAlgorithm');
  const issuerNameHash = certId.content(certId.next(TAG.OCTET_STRING, 'issuerNameHash'));
  const issuerKeyHash = certId.content(certId.next(TAG.OCTET_STRING, 'issuerKeyHash'));
  const serial = certId.content(certId.next(TAG.INTEGER, 'serialNumber'));
  certId.end('in CertID');
  if (hashAlgorithm !== 'other' && (issuerNameHash.length !== HASH_OCTETS[hashAlgorithm] || issuerKeyHash.length !== HASH_OCTETS[hashAlgorithm])) {
    throw malformed(`issuer hashes are not ${HASH_OCTETS[hashAlgorithm]} octets for ${hashAlgorithm}`);
  }
  // Copies: what is returned must not change with the caller's buffer (an HTTP body may be reused).
  return { hashAlgorithm, issuerNameHash: issuerNameHash.slice(), issuerKeyHash: issuerKeyHash.slice(), serialHex: serialHex(serial), raw: raw.slice() };
}

/** DER INTEGER content to the stored serial form (see OcspCertId.serialHex). */
function serialHex(content: Uint8Array): string {
  const [first = 0, second = 0] = content;
  if (content.length === 0) throw malformed('empty serialNumber');
  // X.690 §8.3.2: the first 9 bits of a multi-octet INTEGER are never all equal.
  if (content.length > 1 && ((first === 0x00 && second < 0x80) || (first === 0xff && second >= 0x80))) {
    throw malformed('serialNumber is not minimally encoded');
  }
  if (first < 0x80) return hex(first === 0 && content.length > 1 ? content.subarray(1) : content);
  const magnitude = (1n << BigInt(content.length * 8)) - BigInt(`0x${hex(content)}`);
  const digits = magnitude.toString(16);
  return `-${digits.length % 2 ? '0' : ''}${digits}`;
}

/**
 * `Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension` → extnValue content by OID (hex). Duplicates
 * are refused (RFC 5280 §4.2), and so is a critical extension other than the nonce (RFC 6960 §4.4).
 */
function readExtensions(extensions: DerCursor, where: string): Map<string, Uint8Array> {
  const byOid = new Map<string, Uint8Array>();
  if (extensions.atEnd()) throw malformed(`empty ${where} extensions`);
  while (!extensions.atEnd()) {
    const extension = extensions.inside(extensions.next(TAG.SEQUENCE, 'Extension'));
    const oid = hex(extension.content(extension.next(TAG.OID, 'extnID')));
    const criticalContent = extension.optional(TAG.BOOLEAN);
    const critical = criticalContent ? readBoolean(criticalContent.remaining()) : false;
    const value = extension.content(extension.next(TAG.OCTET_STRING, 'extnValue'));
    extension.end('in Extension');
    if (byOid.has(oid)) throw malformed(`duplicate ${where} extension ${oid}`);
    const understood = where === 'request' && oid === OID_HEX.nonce;
    if (critical && !understood) throw malformed(`critical ${where} extension not understood (OID content ${oid})`);
    byOid.set(oid, value);
  }
  return byOid;
}

function readBoolean(content: Uint8Array): boolean {
  // DER's TRUE is FF; 00 is FALSE (its DEFAULT, tolerated). Other values are BER only.
  if (content.length !== 1 || (content[0] !== 0x00 && content[0] !== 0xff)) throw malformed('BOOLEAN is not 00 or FF');
  return content[0] === 0xff;
}

/**
 * RFC 9654 §2.1: the extnValue holds the DER of `Nonce ::= OCTET STRING (SIZE(1..128))`. Some old
 * clients put the bare random octets there instead (RFC 2560 was unclear); those are echoed just the
 * same, and the size limit applies to them as a whole.
 */
function checkNonce(extnValue: Uint8Array): Uint8Array {
  let octets = extnValue.length;
  if (extnValue[0] === TAG.OCTET_STRING) {
    try {
      const inner = new DerCursor(extnValue, 0, extnValue.length);
      octets = inner.content(inner.next(TAG.OCTET_STRING, 'Nonce')).length;
      inner.end('after Nonce');
    } catch (error) {
      if (!(error instanceof OcspMalformedRequest)) throw error;
      // Not a DER OCTET STRING after all: bare octets that happen to start with 04.
      octets = extnValue.length;
    }
  }
  if (octets === 0 || octets > MAX_NONCE_OCTETS) throw malformed(`the nonce has ${octets} octets (1..${MAX_NONCE_OCTETS})`);
  return extnValue.slice();
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

// ---------------------------------------------------------------------------------------------
// A strict DER reader: just what OCSPRequest needs (X.690 §10.1: definite, minimal lengths)
// ---------------------------------------------------------------------------------------------

interface Tlv {
  tag: number;
  /** Offset of the tag octet. */
  start: number;
  contentStart: number;
  /** Offset just past the content. */
  end: number;
}

/** Reads TLVs one after another between `position` and `limit` of `der`; every error is an OcspMalformedRequest. */
class DerCursor {
  constructor(private readonly der: Uint8Array, private position: number, private readonly limit: number) {}

  atEnd(): boolean {
    return this.position >= this.limit;
  }

  /** The next TLV, which must carry `tag` (any tag when undefined). */
  next(tag: number | undefined, what: string): Tlv {
    if (this.atEnd()) throw malformed(`${what} is missing`);
    const tlv = this.read();
    if (tag !== undefined && tlv.tag !== tag) throw malformed(`${what}: expected tag 0x${tag.toString(16)}, found 0x${tlv.tag.toString(16)}`);
    return tlv;
  }

  /** A cursor over the next TLV's content if it carries `tag` (OPTIONAL and EXPLICIT fields); otherwise nothing is consumed. */
  optional(tag: number): DerCursor | undefined {
    if (this.atEnd() || this.der[this.position] !== tag) return undefined;
    return this.inside(this.read());
  }

  /** What is left of this cursor's range. */
  remaining(): Uint8Array {
    return this.der.subarray(this.position, this.limit);
  }

  inside(tlv: Tlv): DerCursor {
    return new DerCursor(this.der, tlv.contentStart, tlv.end);
  }

  content(tlv: Tlv): Uint8Array {
    return this.der.subarray(tlv.contentStart, tlv.end);
  }

  /** The whole TLV, tag to end. */
  raw(tlv: Tlv): Uint8Array {
    return this.der.subarray(tlv.start, tlv.end);
  }

  end(where: string): void {
    if (!this.atEnd()) throw malformed(`unexpected data ${where}`);
  }

  private read(): Tlv {
    const { der, limit } = this;
    const start = this.position;
    const tag = der[start]!;
    // High tag numbers (X.690 §8.1.2.4) occur nowhere in OCSP.
    if ((tag & 0x1f) === 0x1f) throw malformed('high-tag-number form');
    let position = start + 1;
    if (position >= limit) throw malformed('truncated: no length');
    const first = der[position++]!;
    let length = first;
    if (first === 0x80) throw malformed('indefinite length (BER, not DER)');
    if (first > 0x80) {
      const octets = first & 0x7f;
      // 3 octets allow 16 MiB, far more than any request; larger is an attack or garbage.
      if (octets > 3) throw malformed('length too large');
      if (position + octets > limit) throw malformed('truncated: length octets');
      length = 0;
      for (let i = 0; i < octets; i++) length = length * 256 + der[position++]!;
      if (der[position - octets] === 0 || length < 0x80) throw malformed('length not minimally encoded (BER, not DER)');
    }
    const end = position + length;
    if (end > limit) throw malformed('truncated: content runs past its container');
    // Constructed string forms (BER) never match the primitive tags asked for, so they fail in next().
    this.position = end;
    return { tag, start, contentStart: position, end };
  }
}
