// The OCSP benchmark's synthetic population and request mix: serial i as the SQL seeding makes it, which ones are revoked, and OCSPRequest DER (RFC 6960 §4.1.1).
import { createHash } from 'node:crypto';

/** What the benchmark's certificate table holds: certificates 1..certificates, every `stride`-th revoked. */
export interface Population {
  certificates: number;
  revoked: number;
}

/** The request mix: `requests` distinct requests from a seeded generator, the same for both responders. */
export interface MixOptions extends Population {
  requests: number;
  seed: number;
  /** Share of requests that carry a nonce (the rest can be answered from a cache, RFC 5019 §2.1.1). */
  nonceShare: number;
  /** Share of requests for serials that were never issued (answered "unknown"). */
  unknownShare: number;
}

/** One planned request: the serial asked about and what the responder must answer. */
export interface PlannedRequest {
  serialHex: string;
  expected: 'good' | 'revoked' | 'unknown';
  /** 16 octets when the request carries a nonce. */
  nonce?: Uint8Array;
}

/**
 * A positive 16-byte serial shaped like issue-certificate.ts's `randomSerial()` (first octet
 * `(b & 0x7f) | 0x01`), but reproducible: MD5 of a label, so SQL can make the same one.
 */
function maskedMd5Hex(label: string): string {
  const digest = createHash('md5').update(label).digest();
  digest[0] = (digest[0]! & 0x7f) | 0x01;
  return digest.toString('hex');
}

/** The serial of certificate i (1-based), equal to {@link serialSql} of i. */
export function certificateSerialHex(i: number): string {
  return maskedMd5Hex(String(i));
}

/** A serial that is in no table: never issued, so both responders must say "unknown". */
export function unknownSerialHex(k: number): string {
  return maskedMd5Hex(`unknown-${k}`);
}

/** SQL for {@link certificateSerialHex}, given an expression `md5Hex` that is `md5(i::text)`. */
export function serialSql(md5Hex: string): string {
  return `lpad(to_hex((get_byte(decode(${md5Hex}, 'hex'), 0) & 127) | 1), 2, '0') || substr(${md5Hex}, 3)`;
}

/** Every `stride`-th certificate is revoked (or on hold), up to `revoked` of them. */
export function revocationStride(population: Population): number {
  if (population.revoked <= 0) return Number.POSITIVE_INFINITY;
  return Math.max(1, Math.floor(population.certificates / population.revoked));
}

export function isRevoked(i: number, population: Population): boolean {
  const stride = revocationStride(population);
  return i % stride === 0 && i / stride <= population.revoked;
}

/** mulberry32: a small seeded PRNG, so both responders (and every re-run) get the same mix. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The request mix: serials uniform over the population (≈ revoked/certificates of them revoked), `unknownShare` unknown, `nonceShare` with a nonce. */
export function planRequests(options: MixOptions): PlannedRequest[] {
  const random = prng(options.seed);
  const plan: PlannedRequest[] = [];
  for (let k = 0; k < options.requests; k++) {
    let request: PlannedRequest;
    if (random() < options.unknownShare) {
      request = { serialHex: unknownSerialHex(k), expected: 'unknown' };
    } else {
      const i = 1 + Math.floor(random() * options.certificates);
      request = { serialHex: certificateSerialHex(i), expected: isRevoked(i, options) ? 'revoked' : 'good' };
    }
    if (random() < options.nonceShare) request.nonce = Uint8Array.from({ length: 16 }, () => Math.floor(random() * 256));
    plan.push(request);
  }
  return plan;
}

// ---------------------------------------------------------------------------------------------
// OCSPRequest DER (X.690 §10.1 definite lengths)
// ---------------------------------------------------------------------------------------------

function der(tag: number, ...parts: Uint8Array[]): Buffer {
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  const lengthOctets = length < 0x80 ? [length] : length < 0x100 ? [0x81, length] : [0x82, length >> 8, length & 0xff];
  return Buffer.concat([Uint8Array.of(tag, ...lengthOctets), ...parts]);
}

const SHA1_ALGORITHM = der(0x30, der(0x06, Buffer.from('2b0e03021a', 'hex')), der(0x05));
const NONCE_OID = der(0x06, Buffer.from('2b0601050507300102', 'hex'));

/** The issuer's SHA-1 CertID hashes (certIdHashes(ca).sha1), as hex so they can cross a process boundary. */
export interface IssuerHashesHex {
  nameHash: string;
  keyHash: string;
}

/**
 * `OCSPRequest { tbsRequest { requestList { Request { CertID(SHA-1) } }, requestExtensions [2] { nonce } } }`
 * as `openssl ocsp` sends it: one CertID, and when there is a nonce, extnValue = DER OCTET STRING of 16 octets (RFC 9654 §2.1).
 */
export function ocspRequestDer(request: PlannedRequest, issuer: IssuerHashesHex): Buffer {
  const serial = Buffer.from(request.serialHex, 'hex');
  // The serials are positive with a non-zero first octet below 0x80: the content is the octets as they are.
  const certId = der(0x30, SHA1_ALGORITHM, der(0x04, Buffer.from(issuer.nameHash, 'hex')), der(0x04, Buffer.from(issuer.keyHash, 'hex')), der(0x02, serial));
  const requestList = der(0x30, der(0x30, certId));
  const extensions = request.nonce ? [der(0xa2, der(0x30, der(0x30, NONCE_OID, der(0x04, der(0x04, request.nonce)))))] : [];
  return der(0x30, der(0x30, requestList, ...extensions));
}

// ---------------------------------------------------------------------------------------------
// Reading an OCSPResponse far enough to check it (RFC 6960 §4.2.1)
// ---------------------------------------------------------------------------------------------

interface Tlv {
  tag: number;
  start: number;
  content: number;
  end: number;
}

function readTlv(bytes: Uint8Array, at: number, limit: number): Tlv {
  if (at + 2 > limit) throw new Error('truncated');
  const tag = bytes[at]!;
  let length = bytes[at + 1]!;
  let content = at + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets === 0 || octets > 3 || content + octets > limit) throw new Error('bad length');
    length = 0;
    for (let n = 0; n < octets; n++) length = length * 256 + bytes[content + n]!;
    content += octets;
  }
  if (content + length > limit) throw new Error('truncated');
  return { tag, start: at, content, end: content + length };
}

/** True when the body is an OCSPResponse with responseStatus successful (0): `30 len 0a 01 00`. */
export function isSuccessfulOcspResponse(body: Uint8Array): boolean {
  try {
    const outer = readTlv(body, 0, body.length);
    if (outer.tag !== 0x30 || outer.end !== body.length) return false;
    const status = readTlv(body, outer.content, outer.end);
    return status.tag === 0x0a && status.end - status.content === 1 && body[status.content] === 0;
  } catch {
    return false;
  }
}

/**
 * The first SingleResponse's status and serial, and whether responseExtensions carry a nonce (with
 * `nonce`'s octets when given): enough to check each answer against the plan (the warm-up does; the
 * timed runs only check the status above).
 */
export function readOcspAnswer(body: Uint8Array, nonce?: Uint8Array): { status: 'good' | 'revoked' | 'unknown'; serialHex: string; nonceEchoed: boolean } {
  const outer = readTlv(body, 0, body.length);
  const responseBytes = readTlv(body, readTlv(body, outer.content, outer.end).end, outer.end); // [0]
  const responseBytesSeq = readTlv(body, responseBytes.content, responseBytes.end);
  const octets = readTlv(body, readTlv(body, responseBytesSeq.content, responseBytesSeq.end).end, responseBytesSeq.end);
  const basic = readTlv(body, octets.content, octets.end);
  const tbs = readTlv(body, basic.content, basic.end);
  let responderId = readTlv(body, tbs.content, tbs.end);
  if (responderId.tag === 0xa0) responderId = readTlv(body, responderId.end, tbs.end); // version [0], when present
  const producedAt = readTlv(body, responderId.end, tbs.end);
  const responses = readTlv(body, producedAt.end, tbs.end);
  const single = readTlv(body, responses.content, responses.end);
  const certId = readTlv(body, single.content, single.end);
  const certStatus = readTlv(body, certId.end, single.end);
  let part = readTlv(body, certId.content, certId.end);
  for (let n = 0; n < 3; n++) part = readTlv(body, part.end, certId.end); // hashAlgorithm, nameHash, keyHash → serial
  const serial = body.subarray(part.content, part.end);
  const status = certStatus.tag === 0x80 ? 'good' : certStatus.tag === 0xa1 ? 'revoked' : certStatus.tag === 0x82 ? 'unknown' : undefined;
  if (!status) throw new Error(`certStatus tag 0x${certStatus.tag.toString(16)}`);
  let nonceEchoed = false;
  for (let rest = responses.end; rest < tbs.end;) {
    const extensions = readTlv(body, rest, tbs.end);
    const content = Buffer.from(body.subarray(extensions.content, extensions.end));
    if (extensions.tag === 0xa1) nonceEchoed = content.includes(NONCE_OID) && (nonce === undefined || content.includes(Buffer.from(nonce)));
    rest = extensions.end;
  }
  return { status, serialHex: Buffer.from(serial[0] === 0 ? serial.subarray(1) : serial).toString('hex'), nonceEchoed };
}
