// The printed content of a certificate as canonical JSON (RFC 8785) and its SHA-256: what the verification payload vouches for.
import { createHash } from 'node:crypto';
import type { CertificateDocument } from './certificate-document.ts';

/** Version of the canonical form: a verifier refuses a version it does not know. */
export const CONTENT_VERSION = 1;

/** A JSON value as RFC 8785 canonicalises it here: no floats, no undefined. */
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * The content as a plain JSON value: every text the certificate prints, the issue instant to the
 * second, and the SHA-256 of the registered seal's image (its pixels are the point of a 印鑑登録証明書,
 * and a digest keeps the token short). Layout-only fields (column weights) are left out, so a
 * change of layout does not change the digest.
 */
export function documentContent(doc: CertificateDocument): Json {
  const content: { [key: string]: Json } = {
    v: CONTENT_VERSION,
    kind: doc.kind,
    title: doc.title,
    issuer: {
      lgCode: doc.issuer.lgCode,
      prefecture: doc.issuer.prefecture,
      municipalityName: doc.issuer.municipalityName,
      mayorTitle: doc.issuer.mayorTitle,
      mayorName: doc.issuer.mayorName,
    },
    serialNumber: doc.serialNumber,
    issuedAt: issuedAtSeconds(doc.issuedAt),
    sections: doc.sections.map((s) => {
      const section: { [key: string]: Json } = s.type === 'fields'
        ? { type: 'fields', rows: s.rows.map((r) => ({ label: r.label, value: r.value })) }
        : { type: 'table', columns: s.columns.map((c) => c.header), rows: s.rows.map((r) => [...r]) };
      if (s.heading !== undefined) section['heading'] = s.heading;
      return section;
    }),
    certification: doc.certification,
    notes: [...(doc.notes ?? [])],
  };
  if (doc.sealImage) content['sealImageSha256'] = createHash('sha256').update(doc.sealImage.png).digest('hex');
  return content;
}

/** The issue instant as `2025-11-24T01:02:03Z`: whole seconds, like the token's `iat`. */
export function issuedAtSeconds(at: Date): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}

/**
 * RFC 8785 (JCS) serialisation: object keys sorted by UTF-16 code units (§3.2.3), strings and
 * integers as ECMAScript's JSON.stringify writes them (§3.2.2), no whitespace.
 */
export function canonicalJson(value: Json): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new TypeError('canonicalJson: only safe integers are supported');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  // Default sort compares UTF-16 code units, as §3.2.3 asks.
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k]!)}`).join(',')}}`;
}

/** The canonical content's UTF-8 bytes: embedded in the PDF, hashed for the token. */
export function canonicalContentBytes(doc: CertificateDocument): Uint8Array {
  return new Uint8Array(Buffer.from(canonicalJson(documentContent(doc)), 'utf8'));
}

/**
 * SHA-256 of the canonical content, as carried (base64url) in the verification payload.
 *
 * @example
 * const digest = contentDigest(doc); // 32 bytes
 */
export function contentDigest(doc: CertificateDocument): Uint8Array {
  return new Uint8Array(createHash('sha256').update(canonicalContentBytes(doc)).digest());
}
