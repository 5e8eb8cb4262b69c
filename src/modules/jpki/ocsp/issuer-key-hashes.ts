// The issuerNameHash / issuerKeyHash of a CA (RFC 6960 §4.1.1), in SHA-1 and SHA-256, to tell which CA generation a CertID names.
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';

/** One algorithm's pair of hashes. */
export interface IssuerHashes {
  /** Hash of the DER of the CA's subject Name (the issuer field of the certificates it signs). */
  nameHash: Uint8Array;
  /** Hash of the CA's subjectPublicKey BIT STRING value, without tag, length and unused-bits octet. */
  keyHash: Uint8Array;
}

/** The two hashes in each algorithm a CertID may use. */
export interface CertIdHashes {
  sha1: IssuerHashes;
  sha256: IssuerHashes;
}

/**
 * The CertID hashes of a CA certificate, computed once per CA generation and compared with each
 * request's CertIDs. The name is hashed as the bytes stand in the CA certificate, not re-encoded,
 * as OpenSSL does: a re-encoding could differ in string types. Both hashes are needed: JPKI's CA
 * generations share one subject name, so only the key hash tells them apart.
 * Throws a TypeError when the DER is not an X.509 certificate.
 *
 * @example
 * const hashes = certIdHashes(new Uint8Array(ca.certificate.rawData));
 * const ours = Buffer.from(certId.issuerKeyHash).equals(hashes.sha1.keyHash) && Buffer.from(certId.issuerNameHash).equals(hashes.sha1.nameHash);
 */
export function certIdHashes(caCertificateDer: Uint8Array): CertIdHashes {
  const { subject, subjectPublicKey } = locateFields(caCertificateDer);
  const hashes = (algorithm: 'sha1' | 'sha256'): IssuerHashes => ({
    nameHash: new Uint8Array(createHash(algorithm).update(subject).digest()),
    keyHash: new Uint8Array(createHash(algorithm).update(subjectPublicKey).digest()),
  });
  return { sha1: hashes('sha1'), sha256: hashes('sha256') };
}

/** The raw subject Name TLV and the subjectPublicKey bits of a certificate. */
function locateFields(der: Uint8Array): { subject: Uint8Array; subjectPublicKey: Uint8Array } {
  if (!(der instanceof Uint8Array)) throw new TypeError('caCertificateDer must be a Uint8Array');
  let parsed: ReturnType<typeof asn1js.fromBER>;
  try {
    parsed = asn1js.fromBER(der);
  } catch (cause) {
    // asn1js throws (rather than reporting) on some malformed string and time values (found by the fuzz test).
    throw new TypeError('caCertificateDer is not a DER certificate', { cause });
  }
  const certificate = parsed.result;
  const tbs = certificate instanceof asn1js.Sequence ? certificate.valueBlock.value[0] : undefined;
  if (parsed.offset !== der.length || !(tbs instanceof asn1js.Sequence)) throw new TypeError('caCertificateDer is not a DER certificate');
  // TBSCertificate: [0] version (absent in v1), serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo, …
  const fields = tbs.valueBlock.value;
  const first = fields[0];
  const offset = first?.idBlock.tagClass === 3 && first.idBlock.tagNumber === 0 ? 1 : 0;
  const subject = fields[offset + 4];
  const spki = fields[offset + 5];
  const bitString = spki instanceof asn1js.Sequence ? spki.valueBlock.value[1] : undefined;
  if (!(subject instanceof asn1js.Sequence) || !(bitString instanceof asn1js.BitString) || bitString.valueBlock.unusedBits !== 0) {
    throw new TypeError('caCertificateDer is not an X.509 certificate with a subject and a public key');
  }
  // asn1js keeps the unused-bits octet out of valueHexView: these are the key bits RFC 6960 hashes.
  return { subject: subject.valueBeforeDecodeView, subjectPublicKey: bitString.valueBlock.valueHexView };
}
