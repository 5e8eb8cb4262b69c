// Verifying a JPKI user certificate against the CA generations a relying party trusts: pure and synchronous but for the revocation lookup.
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { JPKI_POLICY_OID, type CaKind } from '../certificate-profiles.ts';

/*
 * Why a DER reader of our own instead of @peculiar/x509 or node:crypto's X509Certificate: speed.
 * CPU µs per call on this machine's Node 20 / OpenSSL 3.0:
 *   new X509Certificate(der)                        ~110  (OpenSSL 3's decoder framework, for the SPKI)
 *   createPublicKey(SPKI DER)                       ~110  (the same decoder path)
 *   createPublicKey(PKCS#1 RSAPublicKey DER)           ~5  (d2i_RSAPublicKey, no decoder lookup)
 *   crypto.verify('sha256', tbs, key, sig)           ~22  (~30 on a key's first use; `openssl speed`: ~17.5)
 *   this reader, whole certificate                    ~4
 * @peculiar/x509 parses through asn1js object graphs and verifies through async WebCrypto, slower still.
 * A relying party checks a certificate and a signature per login, so the budget is two RSA verifies
 * plus a few µs. This reader walks the DER once, slices out the exact tbsCertificate bytes that
 * crypto.verify checks, and hands OpenSSL the RSAPublicKey inside the SPKI as PKCS#1.
 * It is strict DER (definite minimal lengths, no trailing bytes) and reads only what JPKI needs;
 * everything it reads other than the signature is covered by the signature it verifies.
 */

/** Why a certificate is not accepted; each has a test with a real case. */
export type VerificationFailure =
  /** Not a DER X.509 certificate (truncated, garbage, trailing bytes), or a key that is not RSA. */
  | 'JPKI_CERT_MALFORMED'
  /** No trust anchor has the issuer's name and key identifier (another CA), or the serial is not on record. */
  | 'JPKI_CERT_UNKNOWN_ISSUER'
  /** The issuer matched by name / key identifier, but its signature does not verify. */
  | 'JPKI_CERT_BAD_SIGNATURE'
  | 'JPKI_CERT_NOT_YET_VALID'
  | 'JPKI_CERT_EXPIRED'
  /** The policy OID is not the one of the anchor's CA kind (or of `expectedKind`), or a critical extension is not understood. */
  | 'JPKI_CERT_WRONG_POLICY'
  /** sign: digitalSignature + nonRepudiation; auth: digitalSignature; and never keyCertSign / cRLSign. */
  | 'JPKI_CERT_WRONG_KEY_USAGE'
  | 'JPKI_CERT_REVOKED'
  | 'JPKI_CERT_ON_HOLD';

/** One CA generation a relying party trusts (CaGeneration's kind, generation and DER certificate). */
export interface TrustAnchor {
  kind: CaKind;
  generation: number;
  certificate: Uint8Array;
}

/** A trust anchor with what verification needs precomputed. */
export interface PreparedAnchor {
  anchor: TrustAnchor;
  /** Imported once: the CA's RSA public key. */
  publicKey: KeyObject;
  /** Hex of the DER of the CA's subject Name, compared byte for byte with the certificate's issuer. */
  subjectHex: string;
  /** Hex of the CA's subjectKeyIdentifier (SHA-1 of its key, RFC 5280 §4.2.1.2 (1), when it has none). */
  keyIdHex: string;
}

/** The trust anchors, parsed and indexed once (prepareAnchors), shared by every verification. */
export interface PreparedAnchors {
  readonly anchors: readonly PreparedAnchor[];
  /** By `${subjectHex}/${keyIdHex}`: how a certificate with an authorityKeyIdentifier finds its CA. */
  readonly bySubjectAndKeyId: ReadonlyMap<string, PreparedAnchor>;
  /** By subjectHex: every generation of a CA has the same name, so a certificate without AKI tries each. */
  readonly bySubject: ReadonlyMap<string, readonly PreparedAnchor[]>;
}

/** The revocation status of a serial as the CA records it; 'unknown' means the CA never issued it. */
export type RevocationStatus =
  | { status: 'good' }
  | { status: 'revoked'; reason: string; revokedAt: Date }
  | { status: 'hold'; revokedAt: Date }
  | { status: 'unknown' };

/**
 * Looks up a certificate's status at its CA (a CRL kept in memory, the JPKI database, OCSP…).
 * `serialHex` is lower-case hex of the serial's octets without the DER sign octet, the form JPKI records.
 * A rejection of the promise is an infrastructure failure: verifyCertificate passes it on.
 */
export type RevocationLookup = (anchor: TrustAnchor, serialHex: string) => Promise<RevocationStatus>;

/** A certificate that passed every check. */
export interface CertificateCheck {
  ok: true;
  /** The kind of the CA it chains to. */
  kind: CaKind;
  /** The CA generation that issued it. */
  anchor: TrustAnchor;
  serialHex: string;
  notBefore: Date;
  notAfter: Date;
  /** The subject DN in @peculiar/x509's notation, e.g. `C=JP, CN=8439ABCD…`. */
  subject: string;
  /** The holder's (card's) RSA public key, for verifySignature. */
  publicKey: KeyObject;
}

/** A certificate that failed a check; `detail` is Japanese, then English. */
export interface CertificateRejection {
  ok: false;
  failure: VerificationFailure;
  detail: string;
}

export interface VerifyCertificateOptions {
  anchors: PreparedAnchors;
  /** The time the certificate must be valid at (now, or when a signature was made). */
  at: Date;
  /** Reject a certificate of the other CA (JPKI_CERT_WRONG_POLICY): e.g. 'auth' for a login. */
  expectedKind?: CaKind;
  /** Without it, revocation is not checked. */
  revocation?: RevocationLookup;
}

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

/** An OID's DER contents, for comparing with what the reader slices out. */
function oidBytes(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const values = [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)];
  const bytes: number[] = [];
  for (const value of values) {
    const septets = [value & 0x7f];
    for (let v = Math.floor(value / 128); v > 0; v = Math.floor(v / 128)) septets.unshift((v & 0x7f) | 0x80);
    bytes.push(...septets);
  }
  return Buffer.from(bytes);
}

/**
 * The id-ce extensions (2.5.29.x, contents 55 1D x) by their last arc: the ones we read, and the ones
 * we merely understand, which is all a critical extension needs (RFC 5280 §4.2: reject the others).
 */
const ID_CE = {
  subjectKeyIdentifier: 14, keyUsage: 15, subjectAltName: 17, basicConstraints: 19,
  cRLDistributionPoints: 31, certificatePolicies: 32, authorityKeyIdentifier: 35,
} as const;
const UNDERSTOOD_ID_CE: ReadonlySet<number> = new Set(Object.values(ID_CE));

const POLICY_HEX: Record<CaKind, string> = {
  sign: oidBytes(JPKI_POLICY_OID.sign).toString('hex'),
  auth: oidBytes(JPKI_POLICY_OID.auth).toString('hex'),
};

/** sha256WithRSAEncryption with NULL parameters, and without: RFC 4055 §5 has verifiers accept both. */
const SHA256_WITH_RSA = [Buffer.from('300d06092a864886f70d01010b0500', 'hex'), Buffer.from('300b06092a864886f70d01010b', 'hex')];
/** rsaEncryption with NULL parameters (RFC 3279 §2.3.1): the only SPKI algorithm a JPKI card has. */
const RSA_ENCRYPTION = Buffer.from('300d06092a864886f70d0101010500', 'hex');

/** KeyUsage bits of the BIT STRING's first octet (RFC 5280 §4.2.1.3: bit 0 is the most significant). */
const KEY_USAGE = { digitalSignature: 0x80, nonRepudiation: 0x40, keyCertSign: 0x04, cRLSign: 0x02 } as const;
const REQUIRED_KEY_USAGE: Record<CaKind, number> = {
  sign: KEY_USAGE.digitalSignature | KEY_USAGE.nonRepudiation,
  auth: KEY_USAGE.digitalSignature,
};
/** A user key that could sign certificates or CRLs would be a CA key: never acceptable. */
const FORBIDDEN_KEY_USAGE = KEY_USAGE.keyCertSign | KEY_USAGE.cRLSign;

const KIND_NAME: Record<CaKind, string> = { sign: '署名用', auth: '利用者証明用' };

/** Attribute type names as @peculiar/x509's Name#toString prints them, so `subject` reads the same. */
const ATTRIBUTE_NAME: ReadonlyMap<string, string> = new Map([
  ['2.5.4.3', 'CN'], ['2.5.4.7', 'L'], ['2.5.4.8', 'ST'], ['2.5.4.10', 'O'], ['2.5.4.11', 'OU'], ['2.5.4.6', 'C'],
  ['0.9.2342.19200300.100.1.25', 'DC'], ['1.2.840.113549.1.9.1', 'E'], ['2.5.4.42', 'G'], ['2.5.4.43', 'I'],
  ['2.5.4.4', 'SN'], ['2.5.4.12', 'T'],
].map(([oid, name]) => [oidBytes(oid!).toString('hex'), name!]));

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const UTF16BE = new TextDecoder('utf-16be', { fatal: true });

// ---------------------------------------------------------------------------------------------
// DER reader
// ---------------------------------------------------------------------------------------------

/** Thrown inside the reader only; verifyCertificate turns it into JPKI_CERT_MALFORMED. */
class MalformedCertificate extends Error {}

/** One DER element: its tag, where its header starts, and the bounds of its contents. */
interface Tlv {
  tag: number;
  from: number;
  start: number;
  end: number;
}

/**
 * The element at `at`, which must end by `limit`. Strict DER: single-octet tags, definite lengths in
 * minimal form (X.690 §10.1). `tag` < 0 accepts any tag.
 */
function readTlv(der: Buffer, at: number, limit: number, tag: number, what: string): Tlv {
  if (at + 2 > limit) throw new MalformedCertificate(`${what}: truncated`);
  const found = der[at]!;
  if (tag >= 0 && found !== tag) throw new MalformedCertificate(`${what}: expected tag 0x${tag.toString(16)}, found 0x${found.toString(16)}`);
  if ((found & 0x1f) === 0x1f) throw new MalformedCertificate(`${what}: multi-octet tag`);
  let length = der[at + 1]!;
  let start = at + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    // 0 is the indefinite form (BER only); more than 3 octets would be a 16 MiB certificate.
    if (octets === 0 || octets > 3) throw new MalformedCertificate(`${what}: indefinite or oversized length`);
    if (start + octets > limit) throw new MalformedCertificate(`${what}: truncated`);
    if (der[start] === 0) throw new MalformedCertificate(`${what}: length not in minimal form`);
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + der[start + i]!;
    if (length < 0x80) throw new MalformedCertificate(`${what}: length not in minimal form`);
    start += octets;
  }
  const end = start + length;
  if (end > limit) throw new MalformedCertificate(`${what}: truncated`);
  return { tag: found, from: at, start, end };
}

/** The next element if it has `tag` (an OPTIONAL or DEFAULT field), else undefined. */
function readOptional(der: Buffer, at: number, limit: number, tag: number, what: string): Tlv | undefined {
  return at < limit && der[at] === tag ? readTlv(der, at, limit, tag, what) : undefined;
}

function expectEnd(at: number, end: number, what: string): void {
  if (at !== end) throw new MalformedCertificate(`${what}: unexpected bytes after the last field`);
}

/** Whether the whole element (header included) is `expected`; a loop, cheaper than a native call for ~15 bytes. */
function isEncoding(der: Buffer, tlv: Tlv, expected: Buffer): boolean {
  if (tlv.end - tlv.from !== expected.length) return false;
  for (let i = 0; i < expected.length; i++) if (der[tlv.from + i] !== expected[i]) return false;
  return true;
}

/** The contents of a BIT STRING that must have no unused bits (signatures, keys). */
function bitStringOctets(der: Buffer, tlv: Tlv, what: string): Buffer {
  if (tlv.end === tlv.start || der[tlv.start] !== 0) throw new MalformedCertificate(`${what}: not a whole number of octets`);
  return der.subarray(tlv.start + 1, tlv.end);
}

/** Dotted notation of an OID's contents, for messages and attribute types we have no name for. */
function oidString(der: Buffer, tlv: Tlv): string {
  if (tlv.end === tlv.start || (der[tlv.end - 1]! & 0x80) !== 0) throw new MalformedCertificate('OBJECT IDENTIFIER: truncated');
  const arcs: number[] = [];
  let value = 0;
  for (let i = tlv.start; i < tlv.end; i++) {
    const octet = der[i]!;
    if (value === 0 && octet === 0x80) throw new MalformedCertificate('OBJECT IDENTIFIER: arc not in minimal form');
    value = value * 128 + (octet & 0x7f);
    if ((octet & 0x80) === 0) {
      arcs.push(value);
      value = 0;
    }
  }
  const first = arcs[0]!;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...arcs.slice(1)].join('.');
}

/** `count` ASCII digits at `at` as a number. */
function digitsAt(der: Buffer, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const digit = der[i]! - 0x30;
    if (digit < 0 || digit > 9) throw new MalformedCertificate('Time: not a digit');
    value = value * 10 + digit;
  }
  return value;
}

/** Time (RFC 5280 §4.1.2.5): UTCTime YYMMDDHHMMSSZ or GeneralizedTime YYYYMMDDHHMMSSZ, in ms since the epoch. */
function timeValue(der: Buffer, tlv: Tlv, what: string): number {
  const yearDigits = tlv.tag === 0x17 ? 2 : tlv.tag === 0x18 ? 4 : 0;
  if (yearDigits === 0 || tlv.end - tlv.start !== yearDigits + 11 || der[tlv.end - 1] !== 0x5a /* Z */) {
    throw new MalformedCertificate(`${what}: not a UTCTime or GeneralizedTime in Zulu with seconds`);
  }
  let year = digitsAt(der, tlv.start, yearDigits);
  // RFC 5280 §4.1.2.5.1: UTCTime years 50–99 are 19xx, 00–49 are 20xx.
  if (yearDigits === 2) year += year >= 50 ? 1900 : 2000;
  const p = tlv.start + yearDigits;
  const month = digitsAt(der, p, 2);
  const day = digitsAt(der, p + 2, 2);
  const hour = digitsAt(der, p + 4, 2);
  const minute = digitsAt(der, p + 6, 2);
  const second = digitsAt(der, p + 8, 2);
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 02-30 or 24:00 over; reading the fields back catches impossible times.
  const date = new Date(ms);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day
    || date.getUTCHours() !== hour || date.getUTCMinutes() !== minute || date.getUTCSeconds() !== second) {
    throw new MalformedCertificate(`${what}: not a valid date and time`);
  }
  return ms;
}

/** RFC 4514 §2.4 escaping, as @peculiar/x509 does it (plus every control character). */
function escapeAttributeValue(value: string): string {
  if (!/[,+"\\<>;\x00-\x1f]|^[ #]| $/.test(value)) return value;
  return value
    .replace(/[,+"\\<>;]/g, '\\$&')
    .replace(/^[ #]/, '\\$&')
    .replace(/ $/, '\\ ')
    .replace(/[\x00-\x1f]/g, (c) => `\\${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function attributeValue(der: Buffer, value: Tlv): string {
  const octets = der.subarray(value.start, value.end);
  let text: string;
  try {
    switch (value.tag) {
      case 0x0c: text = UTF8.decode(octets); break; // UTF8String
      case 0x12: case 0x13: case 0x16: text = octets.toString('latin1'); break; // Numeric, Printable, IA5String
      case 0x14: text = octets.toString('latin1'); break; // TeletexString, read as Latin-1 like most libraries
      case 0x1e: text = UTF16BE.decode(octets); break; // BMPString
      // RFC 4514 §2.4: a value of another type is written as # and the hex of its whole encoding.
      default: return `#${der.toString('hex', value.from, value.end)}`;
    }
  } catch (cause) {
    throw new MalformedCertificate('attribute value: invalid character encoding', { cause });
  }
  return escapeAttributeValue(text);
}

/** A Name (RFC 5280 §4.1.2.4) as `C=JP, CN=…`, in DER order as @peculiar/x509 prints it. */
function nameToString(der: Buffer, name: Tlv): string {
  const rdns: string[] = [];
  for (let at = name.start; at < name.end;) {
    const set = readTlv(der, at, name.end, 0x31, 'RelativeDistinguishedName');
    const attributes: string[] = [];
    for (let p = set.start; p < set.end;) {
      const pair = readTlv(der, p, set.end, 0x30, 'AttributeTypeAndValue');
      const type = readTlv(der, pair.start, pair.end, 0x06, 'attribute type');
      const value = readTlv(der, type.end, pair.end, -1, 'attribute value');
      expectEnd(value.end, pair.end, 'AttributeTypeAndValue');
      const typeName = ATTRIBUTE_NAME.get(der.toString('hex', type.start, type.end)) ?? oidString(der, type);
      attributes.push(`${typeName}=${attributeValue(der, value)}`);
      p = pair.end;
    }
    if (attributes.length === 0) throw new MalformedCertificate('RelativeDistinguishedName: empty');
    rdns.push(attributes.join('+'));
    at = set.end;
  }
  return rdns.join(', ');
}

/** What JPKI verification needs from a certificate, all read in one pass. */
interface ParsedCertificate {
  /** The exact signed bytes. */
  tbs: Buffer;
  /** The outer signature AlgorithmIdentifier (the signed one inside tbsCertificate is checked identical). */
  signatureAlgorithm: Tlv;
  signature: Buffer;
  serialHex: string;
  issuer: Tlv;
  /** Hex of the issuer Name's DER: the key anchors are indexed by. */
  issuerHex: string;
  subject: Tlv;
  notBefore: number;
  notAfter: number;
  /** PKCS#1 RSAPublicKey DER when the SPKI is rsaEncryption. */
  rsaPublicKey: Buffer | undefined;
  subjectKeyIdHex: string | undefined;
  authorityKeyIdHex: string | undefined;
  /** First octet of KeyUsage; undefined without the extension. */
  keyUsage: number | undefined;
  /** Hex of each policy OID's contents; undefined without the extension. */
  policiesHex: string[] | undefined;
  /** Dotted OID of the first critical extension we do not understand. */
  unknownCriticalExtension: string | undefined;
}

/*
 * The reader below fills one object and allocates little else: at tens of thousands of checks a
 * second, spreads and closures in here showed up as garbage collection in the profile.
 */

/**
 * Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue } (RFC 5280 §4.1),
 * TBSCertificate per §4.1.2. Only v3 fields JPKI uses are kept; the unique identifiers are skipped.
 */
function parseCertificate(der: Buffer): ParsedCertificate {
  const certificate = readTlv(der, 0, der.length, 0x30, 'Certificate');
  expectEnd(certificate.end, der.length, 'Certificate');
  const tbs = readTlv(der, certificate.start, certificate.end, 0x30, 'tbsCertificate');
  const signatureAlgorithm = readTlv(der, tbs.end, certificate.end, 0x30, 'signatureAlgorithm');
  const signatureValue = readTlv(der, signatureAlgorithm.end, certificate.end, 0x03, 'signatureValue');
  expectEnd(signatureValue.end, certificate.end, 'Certificate');

  const limit = tbs.end;
  let at = tbs.start;
  const version = readOptional(der, at, limit, 0xa0, 'version');
  if (version) {
    const value = readTlv(der, version.start, version.end, 0x02, 'version');
    expectEnd(value.end, version.end, 'version');
    // v2 (1) or v3 (2); v1 must be absent in DER (DEFAULT).
    if (value.end - value.start !== 1 || (der[value.start] !== 1 && der[value.start] !== 2)) throw new MalformedCertificate('version: not v2 or v3');
    at = version.end;
  }
  const serial = readTlv(der, at, limit, 0x02, 'serialNumber');
  const serialLength = serial.end - serial.start;
  const first = der[serial.start]!;
  if (serialLength === 0 || serialLength > 21 || (serialLength > 1 && first === 0 && der[serial.start + 1]! < 0x80)) {
    throw new MalformedCertificate('serialNumber: empty, over 20 octets or not minimal');
  }
  if (first & 0x80) throw new MalformedCertificate('serialNumber: negative (RFC 5280 §4.1.2.2)');
  const innerAlgorithm = readTlv(der, serial.end, limit, 0x30, 'signature');
  // RFC 5280 §4.1.1.2: the signed copy of the algorithm must be the same.
  const algorithmLength = signatureAlgorithm.end - signatureAlgorithm.from;
  if (innerAlgorithm.end - innerAlgorithm.from !== algorithmLength
    || der.compare(der, signatureAlgorithm.from, signatureAlgorithm.end, innerAlgorithm.from, innerAlgorithm.end) !== 0) {
    throw new MalformedCertificate('signature algorithms inside and outside tbsCertificate differ');
  }
  const issuer = readTlv(der, innerAlgorithm.end, limit, 0x30, 'issuer');
  const validity = readTlv(der, issuer.end, limit, 0x30, 'validity');
  const notBefore = readTlv(der, validity.start, validity.end, -1, 'notBefore');
  const notAfter = readTlv(der, notBefore.end, validity.end, -1, 'notAfter');
  expectEnd(notAfter.end, validity.end, 'validity');
  const subject = readTlv(der, validity.end, limit, 0x30, 'subject');
  const spki = readTlv(der, subject.end, limit, 0x30, 'subjectPublicKeyInfo');
  const spkiAlgorithm = readTlv(der, spki.start, spki.end, 0x30, 'subjectPublicKeyInfo.algorithm');
  const spkiKey = readTlv(der, spkiAlgorithm.end, spki.end, 0x03, 'subjectPublicKey');
  expectEnd(spkiKey.end, spki.end, 'subjectPublicKeyInfo');
  const keyOctets = bitStringOctets(der, spkiKey, 'subjectPublicKey');
  at = spki.end;
  // issuerUniqueID [1] and subjectUniqueID [2] (v2): allowed, not used.
  at = readOptional(der, at, limit, 0x81, 'issuerUniqueID')?.end ?? at;
  at = readOptional(der, at, limit, 0x82, 'subjectUniqueID')?.end ?? at;
  const extensions = readOptional(der, at, limit, 0xa3, 'extensions');
  expectEnd(extensions?.end ?? at, limit, 'tbsCertificate');

  const parsed: ParsedCertificate = {
    tbs: der.subarray(tbs.from, tbs.end),
    signatureAlgorithm,
    signature: bitStringOctets(der, signatureValue, 'signatureValue'),
    // The sign octet is DER's, not the serial's: JPKI records Buffer.from(serial).toString('hex').
    serialHex: der.toString('hex', first === 0 && serialLength > 1 ? serial.start + 1 : serial.start, serial.end),
    issuer,
    issuerHex: der.toString('hex', issuer.from, issuer.end),
    subject,
    notBefore: timeValue(der, notBefore, 'notBefore'),
    notAfter: timeValue(der, notAfter, 'notAfter'),
    rsaPublicKey: isEncoding(der, spkiAlgorithm, RSA_ENCRYPTION) ? keyOctets : undefined,
    subjectKeyIdHex: undefined,
    authorityKeyIdHex: undefined,
    keyUsage: undefined,
    policiesHex: undefined,
    unknownCriticalExtension: undefined,
  };
  if (extensions) readExtensions(der, extensions, parsed);
  return parsed;
}

/** extensions [3] EXPLICIT SEQUENCE SIZE (1..MAX) OF Extension (RFC 5280 §4.1.2.9); each OID at most once (§4.2). */
function readExtensions(der: Buffer, wrapper: Tlv, parsed: ParsedCertificate): void {
  const list = readTlv(der, wrapper.start, wrapper.end, 0x30, 'extensions');
  expectEnd(list.end, wrapper.end, 'extensions');
  if (list.start === list.end) throw new MalformedCertificate('extensions: empty');
  const seen = new Set<number | string>();
  for (let at = list.start; at < list.end;) {
    const extension = readTlv(der, at, list.end, 0x30, 'Extension');
    const id = readTlv(der, extension.start, extension.end, 0x06, 'extnID');
    const critical = readOptional(der, id.end, extension.end, 0x01, 'critical');
    // An explicit FALSE breaks DER (it is the DEFAULT) but is common and harmless: accepted.
    if (critical && (critical.end - critical.start !== 1 || (der[critical.start] !== 0 && der[critical.start] !== 0xff))) {
      throw new MalformedCertificate('critical: not a BOOLEAN');
    }
    const value = readTlv(der, critical?.end ?? id.end, extension.end, 0x04, 'extnValue');
    expectEnd(value.end, extension.end, 'Extension');
    // id-ce extensions are keyed by their last arc, others by their hex: no string for the usual case.
    const idCe = id.end - id.start === 3 && der[id.start] === 0x55 && der[id.start + 1] === 0x1d ? der[id.start + 2]! : -1;
    const key = idCe >= 0 ? idCe : der.toString('hex', id.start, id.end);
    if (seen.has(key)) throw new MalformedCertificate(`extension ${oidString(der, id)} appears twice`);
    seen.add(key);
    if (critical && der[critical.start] === 0xff && !UNDERSTOOD_ID_CE.has(idCe)) parsed.unknownCriticalExtension ??= oidString(der, id);
    switch (idCe) {
      case ID_CE.keyUsage: parsed.keyUsage = readKeyUsage(der, value); break;
      case ID_CE.certificatePolicies: parsed.policiesHex = readPolicies(der, value); break;
      case ID_CE.authorityKeyIdentifier: parsed.authorityKeyIdHex = readAuthorityKeyId(der, value); break;
      case ID_CE.subjectKeyIdentifier: {
        const keyId = readTlv(der, value.start, value.end, 0x04, 'SubjectKeyIdentifier');
        expectEnd(keyId.end, value.end, 'SubjectKeyIdentifier');
        parsed.subjectKeyIdHex = der.toString('hex', keyId.start, keyId.end);
        break;
      }
      default: // Understood or not, nothing else is read.
    }
    at = extension.end;
  }
}

/** KeyUsage ::= BIT STRING (RFC 5280 §4.2.1.3); the bits we check are all in the first octet. */
function readKeyUsage(der: Buffer, value: Tlv): number {
  const bits = readTlv(der, value.start, value.end, 0x03, 'KeyUsage');
  expectEnd(bits.end, value.end, 'KeyUsage');
  const unused = der[bits.start];
  if (unused === undefined || unused > 7 || (bits.end - bits.start === 1 && unused !== 0)) throw new MalformedCertificate('KeyUsage: bad BIT STRING');
  return bits.end - bits.start > 1 ? der[bits.start + 1]! : 0;
}

/** certificatePolicies ::= SEQUENCE SIZE (1..MAX) OF PolicyInformation { policyIdentifier, qualifiers OPTIONAL }. */
function readPolicies(der: Buffer, value: Tlv): string[] {
  const list = readTlv(der, value.start, value.end, 0x30, 'certificatePolicies');
  expectEnd(list.end, value.end, 'certificatePolicies');
  const policies: string[] = [];
  for (let at = list.start; at < list.end;) {
    const info = readTlv(der, at, list.end, 0x30, 'PolicyInformation');
    const id = readTlv(der, info.start, info.end, 0x06, 'policyIdentifier');
    const qualifiers = readOptional(der, id.end, info.end, 0x30, 'policyQualifiers');
    expectEnd(qualifiers?.end ?? id.end, info.end, 'PolicyInformation');
    policies.push(der.toString('hex', id.start, id.end));
    at = info.end;
  }
  if (policies.length === 0) throw new MalformedCertificate('certificatePolicies: empty');
  return policies;
}

/** AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] OPTIONAL, authorityCertIssuer [1], …SerialNumber [2] }. */
function readAuthorityKeyId(der: Buffer, value: Tlv): string | undefined {
  const aki = readTlv(der, value.start, value.end, 0x30, 'AuthorityKeyIdentifier');
  expectEnd(aki.end, value.end, 'AuthorityKeyIdentifier');
  const keyId = readOptional(der, aki.start, aki.end, 0x80, 'keyIdentifier');
  return keyId ? der.toString('hex', keyId.start, keyId.end) : undefined;
}

function asBuffer(bytes: Uint8Array): Buffer {
  // A view, not a copy.
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// ---------------------------------------------------------------------------------------------
// Trust anchors
// ---------------------------------------------------------------------------------------------

/** Only prepareAnchors makes these, so verifyCertificate can rely on their indexes. */
const PREPARED = new WeakSet<PreparedAnchors>();

/**
 * Parses the trust anchors and imports their keys once, for every verification that follows.
 * Several generations of a CA share its name and differ by key identifier; all of them keep verifying
 * the certificates they issued. Throws a TypeError for an anchor that is not an RSA CA certificate,
 * or for two anchors with the same name and key but a different kind or generation.
 * @example
 * const anchors = prepareAnchors((await jpki.caGenerations('auth')).map(({ kind, generation, certificate }) => ({ kind, generation, certificate })));
 */
export function prepareAnchors(anchors: TrustAnchor[]): PreparedAnchors {
  if (!Array.isArray(anchors)) throw new TypeError('anchors must be an array of TrustAnchor');
  const prepared: PreparedAnchor[] = [];
  const bySubjectAndKeyId = new Map<string, PreparedAnchor>();
  const bySubject = new Map<string, PreparedAnchor[]>();
  for (const [index, anchor] of anchors.entries()) {
    const entry = prepareAnchor(anchor, index);
    const key = `${entry.subjectHex}/${entry.keyIdHex}`;
    const existing = bySubjectAndKeyId.get(key);
    if (existing) {
      if (existing.anchor.kind !== anchor.kind || existing.anchor.generation !== anchor.generation) {
        throw new TypeError(`anchors[${index}] has the name and key of a ${existing.anchor.kind} generation ${existing.anchor.generation} anchor`);
      }
      continue; // The same CA listed twice.
    }
    prepared.push(entry);
    bySubjectAndKeyId.set(key, entry);
    bySubject.set(entry.subjectHex, [...(bySubject.get(entry.subjectHex) ?? []), entry]);
  }
  const result: PreparedAnchors = { anchors: prepared, bySubjectAndKeyId, bySubject };
  PREPARED.add(result);
  return result;
}

function prepareAnchor(anchor: TrustAnchor, index: number): PreparedAnchor {
  if (anchor === null || typeof anchor !== 'object' || (anchor.kind !== 'sign' && anchor.kind !== 'auth')
    || !Number.isInteger(anchor.generation) || !(anchor.certificate instanceof Uint8Array)) {
    throw new TypeError(`anchors[${index}] must be { kind: 'sign' | 'auth', generation: integer, certificate: Uint8Array }`);
  }
  let parsed: ParsedCertificate;
  try {
    parsed = parseCertificate(asBuffer(anchor.certificate));
  } catch (cause) {
    if (cause instanceof MalformedCertificate) throw new TypeError(`anchors[${index}] is not a DER X.509 certificate: ${cause.message}`, { cause });
    throw cause;
  }
  if (!parsed.rsaPublicKey) throw new TypeError(`anchors[${index}] does not have an RSA key`);
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: parsed.rsaPublicKey, format: 'der', type: 'pkcs1' });
  } catch (cause) {
    throw new TypeError(`anchors[${index}] has an unreadable RSA public key`, { cause });
  }
  // Without SKI, RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits, what issuers put in AKI.
  const keyIdHex = parsed.subjectKeyIdHex ?? createHash('sha1').update(parsed.rsaPublicKey).digest('hex');
  return { anchor, publicKey, subjectHex: asBuffer(anchor.certificate).toString('hex', parsed.subject.from, parsed.subject.end), keyIdHex };
}

// ---------------------------------------------------------------------------------------------
// Checks, in order
// ---------------------------------------------------------------------------------------------

function reject(failure: VerificationFailure, detail: string): CertificateRejection {
  return { ok: false, failure, detail };
}

function issuerName(buffer: Buffer, cert: ParsedCertificate): string {
  try {
    return nameToString(buffer, cert.issuer);
  } catch {
    return '(unreadable)';
  }
}

/** The anchors the certificate names as its issuer: same subject DER and, when it has AKI, same key id. */
function issuerCandidates(buffer: Buffer, cert: ParsedCertificate, anchors: PreparedAnchors): readonly PreparedAnchor[] | CertificateRejection {
  if (cert.authorityKeyIdHex !== undefined) {
    const anchor = anchors.bySubjectAndKeyId.get(`${cert.issuerHex}/${cert.authorityKeyIdHex}`);
    if (anchor) return [anchor];
    if (anchors.bySubject.has(cert.issuerHex)) {
      return reject('JPKI_CERT_UNKNOWN_ISSUER', `発行者の名前は信頼する認証局と同じですが、鍵識別子が一致しません（別の認証局） / the issuer has a trusted CA's name but not its key identifier (another CA): ${cert.authorityKeyIdHex}`);
    }
  } else {
    const candidates = anchors.bySubject.get(cert.issuerHex);
    if (candidates) return candidates;
  }
  return reject('JPKI_CERT_UNKNOWN_ISSUER', `発行者が信頼する認証局ではありません / the issuer is not a trusted CA: ${issuerName(buffer, cert)}`);
}

/** The candidate whose key verifies the signature over the exact tbsCertificate bytes. */
function checkSignature(buffer: Buffer, cert: ParsedCertificate, candidates: readonly PreparedAnchor[]): PreparedAnchor | CertificateRejection {
  if (!SHA256_WITH_RSA.some((encoding) => isEncoding(buffer, cert.signatureAlgorithm, encoding))) {
    return reject('JPKI_CERT_BAD_SIGNATURE', '証明書の署名アルゴリズムが sha256WithRSAEncryption ではありません / the certificate is not signed with sha256WithRSAEncryption');
  }
  for (const candidate of candidates) {
    let valid = false;
    try {
      valid = verify('sha256', cert.tbs, candidate.publicKey, cert.signature);
    } catch {
      // OpenSSL errors on a signature longer than the modulus and the like: it does not verify.
    }
    if (valid) return candidate;
  }
  return reject('JPKI_CERT_BAD_SIGNATURE', '証明書の署名が検証できません / certificate signature does not verify');
}

/** RFC 5280 §4.1.2.5: valid from notBefore through notAfter inclusive, at the certificate's one-second precision. */
function checkValidity(cert: ParsedCertificate, at: Date): CertificateRejection | undefined {
  const second = Math.floor(at.getTime() / 1000) * 1000;
  if (second < cert.notBefore) {
    return reject('JPKI_CERT_NOT_YET_VALID', `証明書の有効期間がまだ始まっていません（${new Date(cert.notBefore).toISOString()} から） / certificate not valid before ${new Date(cert.notBefore).toISOString()}`);
  }
  if (second > cert.notAfter) {
    return reject('JPKI_CERT_EXPIRED', `証明書の有効期間が過ぎています（${new Date(cert.notAfter).toISOString()} まで） / certificate expired at ${new Date(cert.notAfter).toISOString()}`);
  }
  return undefined;
}

function checkPolicy(cert: ParsedCertificate, kind: CaKind, expectedKind: CaKind | undefined): CertificateRejection | undefined {
  if (expectedKind !== undefined && expectedKind !== kind) {
    return reject('JPKI_CERT_WRONG_POLICY', `${KIND_NAME[kind]}電子証明書です（${KIND_NAME[expectedKind]}が必要です） / this is a ${kind} certificate, a ${expectedKind} certificate is expected`);
  }
  if (!cert.policiesHex?.includes(POLICY_HEX[kind])) {
    return reject('JPKI_CERT_WRONG_POLICY', `証明書ポリシーが${KIND_NAME[kind]}電子証明書のもの（${JPKI_POLICY_OID[kind]}）ではありません / certificate policy is not ${JPKI_POLICY_OID[kind]} (${kind})`);
  }
  if (cert.unknownCriticalExtension !== undefined) {
    return reject('JPKI_CERT_WRONG_POLICY', `解釈できない重要な拡張があります（${cert.unknownCriticalExtension}） / unrecognised critical extension ${cert.unknownCriticalExtension}`);
  }
  return undefined;
}

function checkKeyUsage(cert: ParsedCertificate, kind: CaKind): CertificateRejection | undefined {
  const required = REQUIRED_KEY_USAGE[kind];
  if (cert.keyUsage === undefined || (cert.keyUsage & required) !== required || (cert.keyUsage & FORBIDDEN_KEY_USAGE) !== 0) {
    const wanted = kind === 'sign' ? 'digitalSignature, nonRepudiation' : 'digitalSignature';
    return reject('JPKI_CERT_WRONG_KEY_USAGE', `鍵用途が${KIND_NAME[kind]}電子証明書のもの（${wanted}）ではありません / key usage is not ${wanted} without keyCertSign / cRLSign`);
  }
  return undefined;
}

async function checkRevocation(lookup: RevocationLookup, anchor: TrustAnchor, serialHex: string): Promise<CertificateRejection | undefined> {
  const result = await lookup(anchor, serialHex);
  switch (result?.status) {
    case 'good':
      return undefined;
    case 'revoked':
      return reject('JPKI_CERT_REVOKED', `証明書は失効しています（${result.revokedAt.toISOString()}、理由 ${result.reason}） / certificate revoked at ${result.revokedAt.toISOString()} (${result.reason})`);
    case 'hold':
      return reject('JPKI_CERT_ON_HOLD', `証明書は一時停止中です（${result.revokedAt.toISOString()} から） / certificate on hold since ${result.revokedAt.toISOString()}`);
    case 'unknown':
      return reject('JPKI_CERT_UNKNOWN_ISSUER', `シリアル番号 ${serialHex} の発行記録がありません / serial ${serialHex} is not on record at the CA`);
    default:
      throw new TypeError(`the revocation lookup returned an unknown status: ${JSON.stringify(result)}`);
  }
}

/**
 * Verifies a JPKI user certificate: DER → trust anchor → signature → validity at `at` → policy →
 * key usage → revocation, stopping at the first failure. Bad certificates never throw: they give
 * `{ ok: false, failure, detail }`. Caller misuse (anchors not from prepareAnchors, an invalid date)
 * is a TypeError, and a rejected revocation lookup rejects this promise too.
 * NOTE: the chain is one level (user certificate → CA generation), as JPKI's is; anchors are trusted
 * as configured (their own validity is not checked: no user certificate outlives its CA). A revoked
 * or held certificate is rejected whatever `at` is, since the lookup gives today's status.
 * @example
 * const anchors = prepareAnchors([{ kind: 'auth', generation: 1, certificate: caDer }]);
 * const check = await verifyCertificate(der, { anchors, at: new Date(), expectedKind: 'auth', revocation });
 * if (!check.ok) reply.code(401).send({ code: check.failure, detail: check.detail });
 */
export async function verifyCertificate(certificate: Uint8Array, options: VerifyCertificateOptions): Promise<CertificateCheck | CertificateRejection> {
  const { anchors, at, expectedKind, revocation } = options;
  if (!PREPARED.has(anchors)) throw new TypeError('options.anchors must come from prepareAnchors()');
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new TypeError('options.at must be a valid Date');
  if (expectedKind !== undefined && expectedKind !== 'sign' && expectedKind !== 'auth') throw new TypeError(`unknown expectedKind: ${String(expectedKind)}`);
  if (revocation !== undefined && typeof revocation !== 'function') throw new TypeError('options.revocation must be a function');
  if (!(certificate instanceof Uint8Array)) throw new TypeError('the certificate must be a Uint8Array of DER');

  const buffer = asBuffer(certificate);
  let cert: ParsedCertificate;
  let subject: string;
  try {
    cert = parseCertificate(buffer);
    subject = nameToString(buffer, cert.subject);
  } catch (cause) {
    if (!(cause instanceof MalformedCertificate)) throw cause;
    return reject('JPKI_CERT_MALFORMED', `DER の X.509 証明書ではありません / not a DER X.509 certificate: ${cause.message}`);
  }
  const candidates = issuerCandidates(buffer, cert, anchors);
  if ('ok' in candidates) return candidates;
  const issuer = checkSignature(buffer, cert, candidates);
  if ('ok' in issuer) return issuer;
  const { kind } = issuer.anchor;
  const rejection = checkValidity(cert, at) ?? checkPolicy(cert, kind, expectedKind) ?? checkKeyUsage(cert, kind)
    ?? (revocation ? await checkRevocation(revocation, issuer.anchor, cert.serialHex) : undefined);
  if (rejection) return rejection;

  // Imported last: only a certificate that passed is worth a KeyObject.
  let publicKey: KeyObject | undefined;
  try {
    if (cert.rsaPublicKey) publicKey = createPublicKey({ key: cert.rsaPublicKey, format: 'der', type: 'pkcs1' });
  } catch {
    // Falls through to the rejection below.
  }
  if (!publicKey) return reject('JPKI_CERT_MALFORMED', '公開鍵が RSA の鍵ではありません / the subject public key is not an RSA key');
  return {
    ok: true, kind, anchor: issuer.anchor, serialHex: cert.serialHex,
    notBefore: new Date(cert.notBefore), notAfter: new Date(cert.notAfter), subject, publicKey,
  };
}
