// Builds a JPKI CA's CRL (RFC 5280 §5) as a pure function: v2 CertificateList, reason code per entry, AKI and CRL number; a million entries in seconds.
// @peculiar/x509 2.2 resolves its DI container through reflect-metadata at import time, so this must come first.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as x509 from '@peculiar/x509';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier, AuthorityKeyIdentifier, CRLReason, Extension, Extensions, KeyIdentifier, Time, Version,
  id_ce_authorityKeyIdentifier, id_ce_cRLNumber, id_ce_cRLReasons,
} from '@peculiar/asn1-x509';
import { REVOCATION_REASON_CODE, REVOCATION_REASONS, type RevocationReason } from '../revocation-reason.ts';

/** One revoked certificate as the CRL lists it. */
export interface CrlEntry {
  /** Hex of the positive serial as stored (lowercase there; either case is read). Leading zeros, e.g. a DER sign octet, are dropped. */
  serialHex: string;
  /** Written to the whole second, truncated. */
  revokedAt: Date;
  reason: RevocationReason;
}

/** sha256WithRSAEncryption (RFC 4055 §5), with the NULL parameters RFC 4055 requires for it. */
const SHA256_WITH_RSA = new Uint8Array(AsnConvert.serialize(new AlgorithmIdentifier({ algorithm: '1.2.840.113549.1.1.11', parameters: null })));

/** CRLNumber ::= INTEGER (0..MAX), at most 20 octets (RFC 5280 §5.2.3), so below 2^159. */
const CRL_NUMBER_LIMIT = 2n ** 159n;

/** CertificateSerialNumber: at most 20 content octets, the sign octet included (RFC 5280 §4.1.2.2), as certificate-profiles.ts enforces when issuing. */
const MAX_SERIAL_OCTETS = 20;

/**
 * The `crlEntryExtensions` of each reason: `Extensions { reasonCode }`, non-critical (RFC 5280 §5.3.1),
 * serialised once by the library and copied into every entry. certificateHold gets no
 * holdInstructionCode: RFC 5280 §5.3.2 deprecates it, and reasonCode 6 alone says "on hold".
 */
const REASON_EXTENSIONS: ReadonlyMap<string, Uint8Array> = new Map(REVOCATION_REASONS.map((reason) => [
  reason,
  new Uint8Array(AsnConvert.serialize(new Extensions([
    new Extension({ extnID: id_ce_cRLReasons, critical: false, extnValue: new OctetString(AsnConvert.serialize(new CRLReason(REVOCATION_REASON_CODE[reason]))) }),
  ]))),
]));

/**
 * Builds and signs a CRL of the CA (RFC 5280 §5.1): version v2, sha256WithRSAEncryption, issuer = the
 * exact DER of the CA certificate's subject, thisUpdate/nextUpdate (UTCTime through 2049, GeneralizedTime
 * from 2050, §5.1.2.4), every entry with a non-critical reasonCode, and the CRL extensions
 * authorityKeyIdentifier (the CA's subjectKeyIdentifier) and cRLNumber, both non-critical.
 * Entries keep the input order; with none, revokedCertificates is omitted (§5.1.2.6).
 *
 * Caller mistakes (reversed or invalid dates, a CRL number outside 0..2^159−1, a serial that is not
 * positive hex of at most 20 octets, an unknown reason, a key that cannot sign) are TypeErrors.
 * NOTE: the key is not checked against the certificate: a CRL signed with the wrong key comes out, and
 * relying parties reject it.
 * NOTE: @peculiar/x509 2.2 cannot read back a CRL of more than about 1,250 entries (asn1js 3.1 stops at
 * 10,000 nodes by default); read big ones with OpenSSL or `asn1js.fromBER(der, { maxNodes })`.
 *
 * @example
 * const der = await buildCrl({
 *   issuer: { certificate: caDer, privateKey },
 *   thisUpdate: new Date('2026-01-01T00:00:00Z'), nextUpdate: new Date('2026-01-02T00:00:00Z'), crlNumber: 42n,
 *   entries: [{ serialHex: '5678', revokedAt: new Date('2025-12-31T10:00:00Z'), reason: 'affiliationChanged' }],
 * });
 */
export async function buildCrl(params: {
  issuer: { certificate: Uint8Array; privateKey: webcrypto.CryptoKey };
  thisUpdate: Date;
  nextUpdate: Date;
  crlNumber: bigint;
  entries: Iterable<CrlEntry>;
}): Promise<Uint8Array> {
  const { issuer, crlNumber, entries } = params;
  checkSigningKey(issuer.privateKey);
  const thisUpdate = wholeSeconds(params.thisUpdate, 'thisUpdate');
  const nextUpdate = wholeSeconds(params.nextUpdate, 'nextUpdate');
  if (nextUpdate.getTime() <= thisUpdate.getTime()) throw new TypeError('nextUpdate must be later than thisUpdate (compared to the whole second)');
  checkCrlNumber(crlNumber);
  if (entries == null || typeof (entries as Partial<Iterable<CrlEntry>>)[Symbol.iterator] !== 'function') throw new TypeError('entries must be iterable');
  const certificate = parseCertificate(issuer.certificate);

  const revoked = encodeRevokedCertificates(entries);
  const tbs = tlv(0x30, [
    new Uint8Array(new asn1js.Integer({ value: Version.v2 }).toBER()),
    SHA256_WITH_RSA,
    subjectNameDer(certificate),
    encodeTime(thisUpdate),
    encodeTime(nextUpdate),
    // RFC 5280 §5.1.2.6: "When there are no revoked certificates, the revoked certificates list MUST be absent."
    ...(revoked.length > 0 ? [tlv(0x30, revoked)] : []),
    tlv(0xa0, [await crlExtensions(certificate, crlNumber)]),
  ]);
  const signature = new Uint8Array(await webcrypto.subtle.sign('RSASSA-PKCS1-v1_5', issuer.privateKey, tbs));
  // BIT STRING of whole octets: the first content octet says 0 unused bits.
  return tlv(0x30, [tbs, SHA256_WITH_RSA, tlv(0x03, [Uint8Array.of(0), signature])]);
}

// ---------------------------------------------------------------------------------------------
// Checks on what the caller passes (misuse is a TypeError, STYLE)
// ---------------------------------------------------------------------------------------------

function checkSigningKey(key: webcrypto.CryptoKey): void {
  const algorithm = key?.algorithm as webcrypto.RsaHashedKeyAlgorithm | undefined;
  if (key?.type !== 'private' || algorithm?.name !== 'RSASSA-PKCS1-v1_5' || algorithm.hash?.name !== 'SHA-256' || !key.usages.includes('sign')) {
    throw new TypeError('the issuer key must be an RSASSA-PKCS1-v1_5 / SHA-256 private key usable for signing');
  }
}

/**
 * The date truncated to the whole second (RFC 5280 §5.1.2.4/§5.1.2.6 times carry no fractions).
 * NOTE: years before 1950 are refused: a JPKI date that old is a bug, and it keeps both Time forms to the two RFC 5280 ranges.
 */
function wholeSeconds(date: Date, what: string): Date {
  if (!(date instanceof Date) || !inTimeRange(date)) throw new TypeError(`${what} must be a valid Date in the years 1950..9999`);
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

function inTimeRange(date: Date): boolean {
  const year = date.getUTCFullYear();
  // NaN (an invalid Date) fails both comparisons.
  return year >= 1950 && year <= 9999;
}

function checkCrlNumber(crlNumber: bigint): void {
  if (typeof crlNumber !== 'bigint' || crlNumber < 0n || crlNumber >= CRL_NUMBER_LIMIT) {
    throw new TypeError('crlNumber must be a bigint in 0..2^159-1 (at most 20 octets, RFC 5280 §5.2.3)');
  }
}

function parseCertificate(der: Uint8Array): x509.X509Certificate {
  if (!(der instanceof Uint8Array)) throw new TypeError('issuer.certificate must be the DER of the CA certificate');
  let certificate: x509.X509Certificate;
  try {
    certificate = new x509.X509Certificate(der);
  } catch (cause) {
    throw new TypeError('issuer.certificate is not a DER X.509 certificate', { cause });
  }
  // A user certificate passed by mistake would give a CRL every relying party rejects (RFC 5280 §4.2.1.3).
  const keyUsage = certificate.getExtension(x509.KeyUsagesExtension);
  if (keyUsage && !(keyUsage.usages & x509.KeyUsageFlags.cRLSign)) throw new TypeError('the issuer certificate\'s key usage does not allow cRLSign');
  return certificate;
}

// ---------------------------------------------------------------------------------------------
// Library-encoded parts: issuer Name, times, CRL extensions
// ---------------------------------------------------------------------------------------------

/**
 * The subject Name exactly as the certificate encodes it: RFC 5280 §5.1.2.3 wants the CRL issuer to match
 * it, and re-encoding a parsed Name could change string types or RDN order.
 */
function subjectNameDer(certificate: x509.X509Certificate): Uint8Array {
  const parsed = asn1js.fromBER(certificate.rawData).result as asn1js.Sequence;
  const tbsFields = (parsed.valueBlock.value[0] as asn1js.Sequence).valueBlock.value;
  // TBSCertificate: [0] version (absent in v1), serialNumber, signature, issuer, validity, subject.
  const hasVersion = tbsFields[0]?.idBlock.tagClass === 3 && tbsFields[0].idBlock.tagNumber === 0;
  const subject = tbsFields[hasVersion ? 5 : 4];
  if (!subject) throw new TypeError('issuer.certificate has no subject');
  return new Uint8Array(subject.valueBeforeDecodeView);
}

/** RFC 5280 §5.1.2.4: UTCTime for 1950..2049, GeneralizedTime from 2050. `date` is already whole seconds. */
function encodeTime(date: Date): Uint8Array {
  const year = date.getUTCFullYear();
  return new Uint8Array(AsnConvert.serialize(new Time(year < 2050 ? { utcTime: date } : { generalTime: date })));
}

/** crlExtensions in the order RFC 5280 §5.2 lists them: authorityKeyIdentifier, then cRLNumber. */
async function crlExtensions(certificate: x509.X509Certificate, crlNumber: bigint): Promise<Uint8Array> {
  // The CA's own SKI, so the AKI matches what the CA certificate announces (§5.2.1); our CAs always
  // have one, and the fallback is the same SHA-1 key id (§4.2.1.2 method 1) certificate-profiles.ts uses.
  const ski = certificate.getExtension(x509.SubjectKeyIdentifierExtension);
  const keyId = ski ? Buffer.from(ski.keyId, 'hex') : new Uint8Array(await certificate.publicKey.getKeyIdentifier(webcrypto));
  return new Uint8Array(AsnConvert.serialize(new Extensions([
    new Extension({
      extnID: id_ce_authorityKeyIdentifier, critical: false,
      extnValue: new OctetString(AsnConvert.serialize(new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(keyId) }))),
    }),
    // asn1-x509's CRLNumber holds a JS number (53 bits); asn1js encodes the full bigint range.
    new Extension({ extnID: id_ce_cRLNumber, critical: false, extnValue: new OctetString(asn1js.Integer.fromBigInt(crlNumber).toBER()) }),
  ])));
}

// ---------------------------------------------------------------------------------------------
// revokedCertificates, written by hand
// ---------------------------------------------------------------------------------------------
//
// Why not the libraries here: measured on this machine (2 cores, Node 20, 16-byte serials, one
// reasonCode each), x509.X509CrlGenerator took 6.0 s for 10,000 entries and had not finished 100,000
// after 12 minutes; building asn1-x509 objects and AsnConvert.serialize-ing the TBSCertList took 7.9 s
// (0.8 GB RSS) for 100,000 entries and 117 s (7.3 GB) for 1,000,000: an asn1js object tree per field.
// Each entry is a tiny fixed-shape SEQUENCE whose only variable parts are the serial's length and the
// Time form, so it is written straight into 1 MiB buffers here; the reasonCode extension bytes still
// come from the library (REASON_EXTENSIONS). Result, bench/jpki-crl.bench.ts: 1,000,000 entries in
// 1.0-1.1 s (signing included), 49 MB of DER, about 0.6 GB peak RSS for the whole benchmark process.

/**
 * The largest entry: SEQUENCE header (2) + INTEGER (2 + 20) + GeneralizedTime (2 + 15) + reasonCode
 * Extensions (14) = 55 octets, so every length fits DER's one-octet short form (< 128, X.690 §8.1.3.4).
 */
const MAX_ENTRY_OCTETS = 2 + 2 + MAX_SERIAL_OCTETS + 2 + 15 + 14;
const CHUNK_OCTETS = 1 << 20;
const HEX = /^[0-9a-f]+$/i;

/** The DER of the entries, one after the other, in chunks (the content of revokedCertificates); empty when there are none. */
function encodeRevokedCertificates(entries: Iterable<CrlEntry>): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let chunk = Buffer.allocUnsafe(CHUNK_OCTETS);
  let at = 0;
  let index = 0;
  for (const entry of entries) {
    if (at + MAX_ENTRY_OCTETS > CHUNK_OCTETS) {
      chunks.push(chunk.subarray(0, at));
      chunk = Buffer.allocUnsafe(CHUNK_OCTETS);
      at = 0;
    }
    at = writeEntry(chunk, at, entry, index++);
  }
  if (at > 0) chunks.push(chunk.subarray(0, at));
  return chunks;
}

/** Writes `SEQUENCE { userCertificate, revocationDate, crlEntryExtensions }` at `start`; returns the offset after it. */
function writeEntry(out: Buffer, start: number, entry: CrlEntry, index: number): number {
  const extensions = REASON_EXTENSIONS.get(entry?.reason);
  if (!extensions) throw new TypeError(`entries[${index}].reason must be one of ${REVOCATION_REASONS.join(', ')}`);
  const { revokedAt } = entry;
  if (!(revokedAt instanceof Date) || !inTimeRange(revokedAt)) throw new TypeError(`entries[${index}].revokedAt must be a valid Date in the years 1950..9999`);
  let at = writeSerial(out, start + 2, entry.serialHex, index);
  at = writeTime(out, at, revokedAt);
  out.set(extensions, at);
  at += extensions.length;
  out[start] = 0x30;
  out[start + 1] = at - start - 2;
  return at;
}

/** CertificateSerialNumber ::= INTEGER, minimal two's complement: a 00 octet before a high first bit keeps it positive. */
function writeSerial(out: Buffer, start: number, serialHex: string, index: number): number {
  if (typeof serialHex !== 'string' || !HEX.test(serialHex)) throw new TypeError(`entries[${index}].serialHex must be a hex string`);
  let digits = serialHex.replace(/^0+/, '');
  if (digits.length % 2 === 1) digits = `0${digits}`;
  const magnitude = digits.length / 2;
  const signOctet = Number.parseInt(digits.charAt(0), 16) >= 8 ? 1 : 0;
  if (magnitude === 0 || magnitude + signOctet > MAX_SERIAL_OCTETS) {
    throw new TypeError(`entries[${index}].serialHex must be a positive serial of at most ${MAX_SERIAL_OCTETS} octets (RFC 5280 §4.1.2.2): ${serialHex}`);
  }
  out[start] = 0x02;
  out[start + 1] = magnitude + signOctet;
  if (signOctet) out[start + 2] = 0;
  out.write(digits, start + 2 + signOctet, 'hex');
  return start + 2 + signOctet + magnitude;
}

/**
 * UTCTime `YYMMDDHHMMSSZ` through 2049, GeneralizedTime `YYYYMMDDHHMMSSZ` from 2050 (RFC 5280 §5.1.2.6
 * → §4.1.2.5), the same forms encodeTime gets from the library. The UTC getters drop the milliseconds.
 */
function writeTime(out: Buffer, start: number, date: Date): number {
  const year = date.getUTCFullYear();
  let at = start + 2;
  if (year < 2050) {
    out[start] = 0x17;
    out[start + 1] = 13;
    at = writeDigits(out, at, year % 100, 2);
  } else {
    out[start] = 0x18;
    out[start + 1] = 15;
    at = writeDigits(out, at, year, 4);
  }
  at = writeDigits(out, at, date.getUTCMonth() + 1, 2);
  at = writeDigits(out, at, date.getUTCDate(), 2);
  at = writeDigits(out, at, date.getUTCHours(), 2);
  at = writeDigits(out, at, date.getUTCMinutes(), 2);
  at = writeDigits(out, at, date.getUTCSeconds(), 2);
  out[at] = 0x5a; // 'Z'
  return at + 1;
}

/** `value` as `width` ASCII decimal digits, zero-padded. */
function writeDigits(out: Buffer, start: number, value: number, width: number): number {
  for (let i = width - 1; i >= 0; i--) {
    out[start + i] = 0x30 + (value % 10);
    value = Math.floor(value / 10);
  }
  return start + width;
}

// ---------------------------------------------------------------------------------------------
// DER framing
// ---------------------------------------------------------------------------------------------

/**
 * One TLV around already-encoded parts; the length in DER's minimal form (X.690 §8.1.3, §10.1).
 * By hand too: the library would have to re-parse the 50 MB list to put a SEQUENCE around it.
 */
function tlv(tag: number, parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const header = [tag];
  if (length < 0x80) {
    header.push(length);
  } else {
    const octets: number[] = [];
    for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest % 256);
    header.push(0x80 | octets.length, ...octets);
  }
  const out = Buffer.concat([Uint8Array.from(header), ...parts], header.length + length);
  // A plain Uint8Array for callers, over the same memory.
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
