// Reads what verification needs from PDF bytes without a PDF parser: the last signature's ByteRange, /Contents and /M, and Info string entries.
//
// NOTE: this reads the plain-text objects that pdfkit and @signpdf write (classic xref table, no object
// streams, unencrypted), which is every document this folder produces. It is safe to search the bytes
// with patterns only after the ByteRange check (verify-certificate-pdf.ts): then every byte outside
// the /Contents hex string is covered by the signature, so anything the patterns find was signed.

/** The Info dictionary entries a certificate PDF carries for verifiers: the QR code's token, and the canonical content (deflated, base64url). */
export const INFO_KEYS = { token: 'MynaVerification', content: 'MynaContent' } as const;

/** The last signature of a PDF, as found in its bytes. */
export interface SignatureFields {
  /** [offset1, length1, offset2, length2] (ISO 32000-1 §12.8.1). */
  byteRange: [number, number, number, number];
  /** The DER CMS from /Contents (hex-decoded, trailing padding included). */
  contents: Uint8Array;
  /** True when the gap between the two ranges is exactly one hex string, `<…>`. */
  gapIsHexString: boolean;
  /** The /M entry (claimed signing time), when present and well formed. */
  signingTime: Date | undefined;
}

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

/** True when the bytes start like a PDF file (ISO 32000-1 §7.5.2 header). */
export function looksLikePdf(bytes: Uint8Array): boolean {
  return latin1(bytes.subarray(0, 8)).startsWith('%PDF-1.') || latin1(bytes.subarray(0, 8)).startsWith('%PDF-2.');
}

/** The last signature dictionary's fields, or undefined when the file has no /ByteRange. */
export function findLastSignature(bytes: Uint8Array): SignatureFields | undefined {
  const text = latin1(bytes);
  const at = text.lastIndexOf('/ByteRange');
  if (at < 0) return undefined;
  const match = /^\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text.slice(at, at + 120));
  if (!match) return undefined;
  const byteRange = [Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4])] as [number, number, number, number];
  const [, length1, offset2] = byteRange;
  const gap = text.slice(length1, offset2);
  const gapIsHexString = gap.length >= 2 && /^<[0-9A-Fa-f]*>$/.test(gap) && gap.length % 2 === 0;
  const contents = gapIsHexString ? new Uint8Array(Buffer.from(gap.slice(1, -1), 'hex')) : new Uint8Array(0);
  // The signature dictionary is the object around /ByteRange: /M is between its `obj` and `endobj`.
  const objectStart = text.lastIndexOf(' obj', at);
  const objectEnd = text.indexOf('endobj', at);
  const dictionary = text.slice(objectStart < 0 ? at : objectStart, objectEnd < 0 ? text.length : objectEnd);
  const m = /\/M\s*\((D:[^)]*)\)/.exec(dictionary);
  return { byteRange, contents, gapIsHexString, signingTime: m ? parsePdfDate(m[1]!) : undefined };
}

/**
 * A PDF date (ISO 32000-1 §7.9.4): `D:YYYYMMDDHHmmSSOHH'mm'`, everything after the year optional,
 * O one of `Z`, `+`, `-`. Undefined when malformed.
 */
export function parsePdfDate(value: string): Date | undefined {
  const m = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:(Z)|([+-])(\d{2})'?(\d{2})?'?)?$/.exec(value);
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', , sign, oh = '00', om = '00'] = m;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const offset = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000 : 0;
  const date = new Date(utc - offset);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * The value of the Info entry `/key`, written as `/key N 0 R` with `N 0 obj (…) endobj` (pdfkit's way),
 * or directly as `/key (…)`. Only strings without escapes are read (base64url and JWS are). Returns
 * undefined when the key is missing, or found more than once: two values would be ambiguous.
 */
export function readInfoString(bytes: Uint8Array, key: string): string | undefined {
  const text = latin1(bytes);
  const pattern = new RegExp(`/${key}\\s*(?:(\\d+)\\s+0\\s+R|\\(([^()\\\\]*)\\))`, 'g');
  const hits = [...text.matchAll(pattern)];
  if (hits.length !== 1) return undefined;
  const [, objectNumber, direct] = hits[0]!;
  if (direct !== undefined) return direct;
  const objects = [...text.matchAll(new RegExp(`(?:^|[\\r\\n])${objectNumber}\\s+0\\s+obj\\s*\\(([^()\\\\]*)\\)\\s*endobj`, 'g'))];
  return objects.length === 1 ? objects[0]![1] : undefined;
}
