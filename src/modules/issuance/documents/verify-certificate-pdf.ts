// Verifies a certificate PDF end to end: PAdES signature over the whole file, signer chained to a trusted municipal CA, and the embedded verification payload against the embedded content.
//
// Three answers: `genuine`; `altered` (a byte outside the signature value changed, bytes were added after
// signing, or the CMS signature does not verify); `unknown` (not a PDF, not signed, signed by someone we do
// not trust, or not one of our certificates). Each check is a small function, run top to bottom; the first
// that fails decides. Integrity is checked before trust, so a broken signature reads `altered` whoever made it.
import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { base64url } from 'jose';
import { cryptoEngine, OID, parseCertificate } from './cades-signature.ts';
import type { CertificateKind } from './certificate-document.ts';
import { CONTENT_VERSION } from './document-content.ts';
import { findLastSignature, INFO_KEYS, looksLikePdf, readInfoString, type SignatureFields } from './pdf-signature-fields.ts';
import { readVerificationPayload, type PayloadKeys, type VerificationPayload } from './verification-payload.ts';

/** What a verifier trusts. */
export interface VerificationTrust {
  /** Municipal document-signing CA certificates (DER): the trust anchors for the PDF signature. */
  pdfSigningCas: Uint8Array[];
  /** Keys of the verification payload: a JWK set, or a lookup by the token's header (kid). */
  payloadKeys: PayloadKeys;
}

/** Stable codes of the outcomes, one per check (the `reason` text is for people and may change). */
export type VerificationCode =
  | 'GENUINE'
  | 'NOT_PDF' | 'NOT_SIGNED' | 'SIGNATURE_UNREADABLE'
  | 'BYTES_OUTSIDE_SIGNATURE' | 'DIGEST_MISMATCH' | 'SIGNATURE_INVALID' | 'SIGNING_CERTIFICATE_MISMATCH'
  | 'SIGNER_CERTIFICATE_MISSING' | 'UNSUPPORTED_ALGORITHM' | 'NOT_PADES'
  | 'SIGNER_NOT_VALID_AT_SIGNING_TIME' | 'SIGNER_NOT_FOR_SIGNING' | 'SIGNER_UNTRUSTED'
  | 'PAYLOAD_MISSING' | 'PAYLOAD_UNTRUSTED' | 'PAYLOAD_INVALID' | 'PAYLOAD_MISMATCH';

/** The verdict, with what the document says it is when it could be read. */
export interface CertificateVerification {
  result: 'genuine' | 'altered' | 'unknown';
  code: VerificationCode;
  /** Why, in Japanese, for the person checking the document. */
  reason: string;
  serialNumber?: string;
  lgCode?: string;
  kind?: CertificateKind;
  issuedAt?: string;
  /** The signer certificate's subject (e.g. `C=JP, O=三鷹市, CN=三鷹市長`), once the CMS was read. */
  signer?: string;
  /** The claimed signing time (/M), ISO. */
  signedAt?: string;
}

type Verdict = Omit<CertificateVerification, 'serialNumber' | 'lgCode' | 'kind' | 'issuedAt' | 'signer' | 'signedAt'>;
const altered = (code: VerificationCode, reason: string): Verdict => ({ result: 'altered', code, reason });
const unknown = (code: VerificationCode, reason: string): Verdict => ({ result: 'unknown', code, reason });

/** Digest algorithms accepted in a CMS (RFC 5754 §2); SHA-1 is not. */
const DIGESTS: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/**
 * Verifies a certificate PDF.
 *
 * @example
 * const v = await verifyCertificatePdf(bytes, { pdfSigningCas: [caDer], payloadKeys: jwks });
 * if (v.result === 'genuine') console.log(v.serialNumber, v.issuedAt);
 */
export async function verifyCertificatePdf(pdf: Uint8Array, trust: VerificationTrust, options: { now?: Date } = {}): Promise<CertificateVerification> {
  if (!(pdf instanceof Uint8Array)) throw new TypeError('verifyCertificatePdf: pdf must be a Uint8Array');
  if (!looksLikePdf(pdf)) return unknown('NOT_PDF', 'PDFファイルではありません。');
  const fields = findLastSignature(pdf);
  if (!fields) return unknown('NOT_SIGNED', '電子署名がありません。');
  const coverage = checkCoverage(pdf, fields);
  if (coverage) return coverage;

  const cms = readCms(fields.contents);
  if ('result' in cms) return cms;
  const signedAt = fields.signingTime ?? options.now ?? new Date();
  const who = { signer: cms.signer.subject.typesAndValues.map((t) => `${shortName(t.type)}=${t.value.valueBlock.value}`).join(', '), signedAt: signedAt.toISOString() };

  const integrity = checkIntegrity(pdf, fields, cms);
  if (integrity) return { ...integrity, ...who };
  const trusted = await checkSignerTrusted(cms, trust.pdfSigningCas, signedAt);
  if (trusted) return { ...trusted, ...who };

  const payload = await checkPayload(pdf, trust.payloadKeys);
  if ('result' in payload) return { ...payload, ...who };
  return {
    result: 'genuine', code: 'GENUINE', reason: '市区町村の電子署名と検証用コードを確認しました。改ざんはありません。',
    serialNumber: payload.serialNumber, lgCode: payload.lgCode, kind: payload.kind, issuedAt: payload.issuedAt, ...who,
  };
}

/** The ByteRange must start at 0, leave out only the /Contents hex string, and run to the end of the file. */
function checkCoverage(pdf: Uint8Array, fields: SignatureFields): Verdict | undefined {
  const [offset1, length1, offset2, length2] = fields.byteRange;
  if (offset1 !== 0 || length1 <= 0 || offset2 <= length1 || !fields.gapIsHexString) {
    return altered('BYTES_OUTSIDE_SIGNATURE', '署名の対象範囲が不正です。');
  }
  if (offset2 + length2 !== pdf.length) {
    return altered('BYTES_OUTSIDE_SIGNATURE', offset2 + length2 < pdf.length ? '署名の後にデータが追加されています。' : 'ファイルが途中で切れています。');
  }
  return undefined;
}

interface ParsedCms {
  signedData: pkijs.SignedData;
  signerInfo: pkijs.SignerInfo;
  signer: pkijs.Certificate;
  signerDer: Uint8Array;
}

/** The CMS is inside the unsigned gap, so garbage there is a broken signature: `altered`. */
function readCms(contents: Uint8Array): ParsedCms | Verdict {
  let signedData: pkijs.SignedData;
  try {
    const asn1 = asn1js.fromBER(contents.buffer.slice(contents.byteOffset, contents.byteOffset + contents.byteLength) as ArrayBuffer);
    if (asn1.offset === -1) throw new Error(asn1.result.error);
    const info = new pkijs.ContentInfo({ schema: asn1.result });
    if (info.contentType !== OID.signedData) throw new Error('not SignedData');
    signedData = new pkijs.SignedData({ schema: info.content });
  } catch {
    return altered('SIGNATURE_UNREADABLE', '電子署名のデータが壊れています。');
  }
  const signerInfo = signedData.signerInfos[0];
  if (!signerInfo || signedData.signerInfos.length !== 1) return unknown('NOT_PADES', '署名者がひとりではありません。');
  const certificates = (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  const signer = certificates.find((c) => isSigner(c, signerInfo.sid));
  if (!signer) return unknown('SIGNER_CERTIFICATE_MISSING', '署名者の証明書が含まれていません。');
  return { signedData, signerInfo, signer, signerDer: new Uint8Array(signer.toSchema().toBER()) };
}

function isSigner(certificate: pkijs.Certificate, sid: pkijs.SignerInfo['sid']): boolean {
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    return certificate.issuer.isEqual(sid.issuer) && certificate.serialNumber.isEqual(sid.serialNumber);
  }
  return false;
}

function attribute(signerInfo: pkijs.SignerInfo, type: string): asn1js.AsnType | undefined {
  const found = signerInfo.signedAttrs?.attributes.filter((a) => a.type === type) ?? [];
  // RFC 5652 §5.3: content-type and message-digest must occur once with one value; the same rule keeps ESS unambiguous.
  return found.length === 1 && found[0]!.values.length === 1 ? found[0]!.values[0] : undefined;
}

/** message-digest over the ByteRange, then the signature over the signed attributes, then ESS signing-certificate-v2. */
function checkIntegrity(pdf: Uint8Array, fields: SignatureFields, cms: ParsedCms): Verdict | undefined {
  const { signerInfo, signer, signerDer } = cms;
  const digestName = DIGESTS[signerInfo.digestAlgorithm.algorithmId];
  if (!digestName) return unknown('UNSUPPORTED_ALGORITHM', '対応していない署名方式です。');
  if (!signerInfo.signedAttrs) return unknown('NOT_PADES', '署名属性がありません（PAdES ではありません）。');
  const contentType = attribute(signerInfo, OID.contentType);
  const messageDigest = attribute(signerInfo, OID.messageDigest);
  if (!(contentType instanceof asn1js.ObjectIdentifier) || contentType.valueBlock.toString() !== OID.data || !(messageDigest instanceof asn1js.OctetString)) {
    return unknown('NOT_PADES', '署名属性が不足しています（PAdES ではありません）。');
  }
  const [offset1, length1, offset2, length2] = fields.byteRange;
  const digest = createHash(digestName).update(pdf.subarray(offset1, offset1 + length1)).update(pdf.subarray(offset2, offset2 + length2)).digest();
  if (!digest.equals(new Uint8Array(messageDigest.valueBlock.valueHexView))) return altered('DIGEST_MISMATCH', '署名後に文書が変更されています。');

  // The signature covers the DER of the signed attributes as a SET (RFC 5652 §5.4): the bytes as received, retagged.
  const signedAttrs = new Uint8Array(signerInfo.signedAttrs.encodedValue.slice(0));
  signedAttrs[0] = 0x31;
  const spki = new Uint8Array(signer.subjectPublicKeyInfo.toSchema().toBER());
  let valid: boolean;
  try {
    const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'ec') return unknown('UNSUPPORTED_ALGORITHM', '対応していない署名方式です。');
    valid = verifySignature(digestName, signedAttrs, key, new Uint8Array(signerInfo.signature.valueBlock.valueHexView));
  } catch {
    valid = false;
  }
  if (!valid) return altered('SIGNATURE_INVALID', '電子署名が正しくありません。');

  const ess = attribute(signerInfo, OID.signingCertificateV2);
  if (!ess) return unknown('NOT_PADES', '署名証明書の属性（ESS signing-certificate-v2）がありません。');
  const certHash = essCertHash(ess);
  if (!certHash || !createHash('sha256').update(signerDer).digest().equals(certHash)) {
    return altered('SIGNING_CERTIFICATE_MISMATCH', '署名に含まれる証明書が署名時のものと一致しません。');
  }
  return undefined;
}

/** certHash of the first ESSCertIDv2 (RFC 5035 §4); only the default SHA-256 is accepted. */
function essCertHash(value: asn1js.AsnType): Uint8Array | undefined {
  const certs = value instanceof asn1js.Sequence ? value.valueBlock.value[0] : undefined;
  const first = certs instanceof asn1js.Sequence ? certs.valueBlock.value[0] : undefined;
  if (!(first instanceof asn1js.Sequence)) return undefined;
  const [head, next] = first.valueBlock.value;
  if (head instanceof asn1js.OctetString) return new Uint8Array(head.valueBlock.valueHexView);
  // An explicit hashAlgorithm must then be SHA-256 too.
  if (head instanceof asn1js.Sequence && next instanceof asn1js.OctetString) {
    const algorithm = head.valueBlock.value[0];
    if (algorithm instanceof asn1js.ObjectIdentifier && algorithm.valueBlock.toString() === OID.sha256) return new Uint8Array(next.valueBlock.valueHexView);
  }
  return undefined;
}

/** Key usage for signing, validity at the claimed signing time, and a path to a trusted municipal CA. */
async function checkSignerTrusted(cms: ParsedCms, trustedDer: Uint8Array[], signedAt: Date): Promise<Verdict | undefined> {
  const { signer, signedData } = cms;
  if (signedAt < signer.notBefore.value || signedAt > signer.notAfter.value) {
    return unknown('SIGNER_NOT_VALID_AT_SIGNING_TIME', '署名時に署名者の証明書が有効期間外でした。');
  }
  const keyUsage = signer.extensions?.find((e) => e.extnID === '2.5.29.15')?.parsedValue as asn1js.BitString | undefined;
  // KeyUsage bits: 0 digitalSignature, 1 nonRepudiation (RFC 5280 §4.2.1.3); the first content octet holds them.
  const bits = keyUsage ? new Uint8Array(keyUsage.valueBlock.valueHexView)[0] ?? 0 : 0xff;
  if ((bits & 0xc0) === 0) return unknown('SIGNER_NOT_FOR_SIGNING', '署名者の証明書は文書の署名用ではありません。');
  if (trustedDer.length === 0) return unknown('SIGNER_UNTRUSTED', '信頼する認証局が設定されていません。');
  const engine = new pkijs.CertificateChainValidationEngine({
    trustedCerts: trustedDer.map(parseCertificate),
    certs: (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate),
    checkDate: signedAt,
  });
  const chain = await engine.verify({}, cryptoEngine);
  // NOTE: no revocation check (PAdES B-B carries no revocation data); a CRL or OCSP check belongs to a later level.
  return chain.result ? undefined : unknown('SIGNER_UNTRUSTED', '信頼できる市区町村の認証局が発行した署名用証明書ではありません。');
}

/** The token from /MynaVerification, checked with the trusted keys and against the content in /MynaContent. */
async function checkPayload(pdf: Uint8Array, keys: PayloadKeys): Promise<VerificationPayload | Verdict> {
  const token = readInfoString(pdf, INFO_KEYS.token);
  const contentText = readInfoString(pdf, INFO_KEYS.content);
  if (!token || !contentText) return unknown('PAYLOAD_MISSING', '検証用コードの情報がありません。');
  const read = await readVerificationPayload(token, keys);
  if (!read.ok) {
    return read.reason === 'untrusted-key'
      ? unknown('PAYLOAD_UNTRUSTED', '検証用コードの鍵が信頼できません。')
      : unknown('PAYLOAD_INVALID', '検証用コードが正しくありません。');
  }
  let contentBytes: Buffer;
  let content: Record<string, unknown>;
  try {
    contentBytes = inflateRawSync(Buffer.from(contentText, 'base64url'));
    content = JSON.parse(contentBytes.toString('utf8')) as Record<string, unknown>;
  } catch {
    return unknown('PAYLOAD_MISMATCH', '証明内容のデータが読めません。');
  }
  const p = read.payload;
  const issuer = content['issuer'] as Record<string, unknown> | undefined;
  const matches = content['v'] === CONTENT_VERSION
    && base64url.encode(createHash('sha256').update(contentBytes).digest()) === p.contentDigest
    && content['serialNumber'] === p.serialNumber && issuer?.['lgCode'] === p.lgCode
    && content['kind'] === p.kind && content['issuedAt'] === p.issuedAt;
  return matches ? p : unknown('PAYLOAD_MISMATCH', '検証用コードと証明内容が一致しません。');
}

/** X.520 attribute types as short names for the signer line. */
function shortName(oid: string): string {
  return ({ '2.5.4.6': 'C', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.3': 'CN', '2.5.4.8': 'ST', '2.5.4.7': 'L' } as Record<string, string>)[oid] ?? oid;
}
