// PAdES signature of a rendered certificate: @signpdf adds the signature dictionary (ETSI.CAdES.detached) as an incremental update and our signer fills /Contents.
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { SignPdf } from '@signpdf/signpdf';
import { Signer, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import { buildCadesSignature, type PdfSigningIdentity } from './cades-signature.ts';

/**
 * A @signpdf Signer that makes a PAdES baseline B-B CMS (cades-signature.ts). @signpdf hands it the PDF
 * bytes outside the /Contents placeholder, exactly the ByteRange a verifier digests.
 */
export class CadesSigner extends Signer {
  readonly #identity: PdfSigningIdentity;

  constructor(identity: PdfSigningIdentity) {
    super();
    this.#identity = identity;
  }

  override async sign(pdfBuffer: Buffer): Promise<Buffer> {
    return Buffer.from(await buildCadesSignature(pdfBuffer, this.#identity));
  }
}

/** Options of {@link signPdf}. */
export interface SignPdfOptions {
  /** The claimed signing time, written to the signature dictionary's /M (PAdES puts it there, not in the CMS). Default: now. */
  signingTime?: Date;
  /** /Reason; default 「証明書の発行」. */
  reason?: string;
  /** /Location, e.g. 東京都三鷹市. */
  location?: string;
  /** /Name: who signed, e.g. 三鷹市長. */
  name?: string;
}

/**
 * Room for the CMS: the certificates, a 512-byte RSA-4096 signature at most, the signed attributes and
 * DER overhead. The placeholder is hex, so the PDF grows by twice this; @signpdf's default (8 KB) would
 * add 16 KB of zeros to every certificate.
 */
function signatureLength(identity: PdfSigningIdentity): number {
  return [identity.certificate, ...identity.chain].reduce((sum, c) => sum + c.length, 0) + 1536;
}

/**
 * Signs `pdf` (from renderCertificatePdf) for PAdES baseline B-B: one signature whose ByteRange covers
 * the whole file except the signature value itself.
 *
 * @example
 * const signed = await signPdf(await renderCertificatePdf(doc, { verificationToken }), identity, { location: '東京都三鷹市', name: '三鷹市長' });
 */
export async function signPdf(pdf: Uint8Array, signer: PdfSigningIdentity, options: SignPdfOptions = {}): Promise<Uint8Array> {
  if (!signer || !(signer.certificate instanceof Uint8Array) || !Array.isArray(signer.chain) || !signer.privateKey) {
    throw new TypeError('signPdf: signer needs privateKey, certificate (DER) and chain (DER[])');
  }
  const signingTime = options.signingTime ?? new Date();
  const withPlaceholder = plainAddPlaceholder({
    pdfBuffer: Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength),
    reason: options.reason ?? '証明書の発行',
    contactInfo: '',
    name: options.name ?? '',
    location: options.location ?? '',
    signingTime,
    signatureLength: signatureLength(signer),
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    appName: 'myna-platform',
  });
  const signed = await new SignPdf().sign(withPlaceholder, new CadesSigner(signer), signingTime);
  return new Uint8Array(signed.buffer, signed.byteOffset, signed.byteLength);
}
