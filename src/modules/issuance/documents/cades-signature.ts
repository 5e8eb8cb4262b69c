// CMS SignedData for PAdES baseline B-B (ETSI EN 319 142-1): detached, SHA-256, RSA PKCS#1 v1.5, with ESS signing-certificate-v2 — built with pkijs.
//
// Signed attributes are content-type, message-digest and signing-certificate-v2 (RFC 5035) only. There is
// deliberately no signing-time attribute: EN 319 142-1 §5.4.1 forbids it in PAdES baseline signatures and
// puts the claimed signing time in the signature dictionary's /M entry instead (sign-pdf.ts writes it).
import { createHash, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/** Object identifiers used here (RFC 5652 §11, RFC 5035 §3, RFC 5754 §2). */
export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
} as const;

/** The signer of a PDF: a municipal document-signing key, its certificate and the CA chain above it. */
export interface PdfSigningIdentity {
  /** WebCrypto RSASSA-PKCS1-v1_5 private key (SHA-256). */
  privateKey: webcrypto.CryptoKey;
  /** The signer's certificate, DER. */
  certificate: Uint8Array;
  /** The CA certificates above it (DER), nearest first; included so a verifier can build the path. */
  chain: Uint8Array[];
}

/** pkijs on node's WebCrypto, passed explicitly so that no global engine is set for the whole process. */
export const cryptoEngine = new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as pkijs.CryptoEngineParameters['crypto'] });

const toArrayBuffer = (bytes: Uint8Array): ArrayBuffer =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

/** Parses a DER certificate with pkijs. */
export function parseCertificate(der: Uint8Array): pkijs.Certificate {
  return pkijs.Certificate.fromBER(toArrayBuffer(der));
}

/** Certificates parsed once per identity: a kiosk signs thousands of documents with one. */
const parsed = new WeakMap<PdfSigningIdentity, { signer: pkijs.Certificate; all: pkijs.Certificate[]; essValue: asn1js.Sequence }>();

function parsedIdentity(identity: PdfSigningIdentity) {
  let entry = parsed.get(identity);
  if (!entry) {
    const signer = parseCertificate(identity.certificate);
    entry = { signer, all: [signer, ...identity.chain.map(parseCertificate)], essValue: signingCertificateV2(identity.certificate, signer) };
    parsed.set(identity, entry);
  }
  return entry;
}

/**
 * SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 } (RFC 5035 §3), one ESSCertIDv2 with
 * the default hash (SHA-256, so hashAlgorithm is omitted as DER requires) and the issuerSerial that binds
 * the hash to one issuer's certificate.
 */
function signingCertificateV2(der: Uint8Array, certificate: pkijs.Certificate): asn1js.Sequence {
  const certHash = createHash('sha256').update(der).digest();
  const issuerSerial = new asn1js.Sequence({
    value: [
      // GeneralNames with one directoryName [4]: explicit, because Name is a CHOICE.
      new asn1js.Sequence({ value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [certificate.issuer.toSchema()] })] }),
      certificate.serialNumber,
    ],
  });
  const essCertIdV2 = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: toArrayBuffer(certHash) }), issuerSerial] });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
}

/** DER orders a SET OF by its elements' encodings (X.690 §11.6); verifiers that re-encode depend on it. */
function derSorted(attributes: pkijs.Attribute[]): pkijs.Attribute[] {
  const encoded = attributes.map((a) => ({ a, der: new Uint8Array(a.toSchema().toBER()) }));
  encoded.sort((x, y) => Buffer.compare(x.der, y.der));
  return encoded.map((e) => e.a);
}

/**
 * The DER CMS ContentInfo (SignedData, detached) over `data`, the PDF bytes outside /Contents.
 *
 * @example
 * const cms = await buildCadesSignature(byteRangeBytes, identity);
 */
export async function buildCadesSignature(data: Uint8Array, identity: PdfSigningIdentity): Promise<Uint8Array> {
  const { signer, all, essValue } = parsedIdentity(identity);
  const messageDigest = createHash('sha256').update(data).digest();
  const attributes = derSorted([
    new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
    new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: toArrayBuffer(messageDigest) })] }),
    new pkijs.Attribute({ type: OID.signingCertificateV2, values: [essValue] }),
  ]);
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: signer.issuer, serialNumber: signer.serialNumber }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes }),
      }),
    ],
    certificates: all,
  });
  // With signed attributes present, pkijs signs their DER (as a SET) and leaves message-digest as given.
  await signedData.sign(identity.privateKey as Parameters<pkijs.SignedData['sign']>[0], 0, 'SHA-256', undefined, cryptoEngine);
  const contentInfo = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
  return new Uint8Array(contentInfo.toSchema().toBER());
}
