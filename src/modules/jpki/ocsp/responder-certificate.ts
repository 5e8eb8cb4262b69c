// The delegated OCSP responder certificate (RFC 6960 §4.2.2.2) a JPKI CA issues, so that its own key stays offline while OCSP answers are signed online.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { AttributeTypeAndValue, AttributeValue, Name as AsnName, RelativeDistinguishedName } from '@peculiar/asn1-x509';
import { id_pkix_ocsp_nocheck } from '@peculiar/asn1-ocsp';
import type { CaKind, Issuer } from '../certificate-profiles.ts';

/** The CA's OU, as in caSubject() (certificate-profiles.ts, which does not export it). */
const CA_OU: Record<CaKind, string> = {
  auth: 'JPKI for user authentication',
  sign: 'JPKI for digital signature',
};

/**
 * A certificate for the key that signs OCSP responses on behalf of the CA: subject
 * `C=JP, O=JPKI, OU=<the CA's OU>, CN=OCSP Responder`, KeyUsage digitalSignature (critical),
 * ExtendedKeyUsage id-kp-OCSPSigning (which is what makes it a delegated responder, §4.2.2.2),
 * id-pkix-ocsp-nocheck (§4.2.2.2.1: clients do not ask about the responder itself), AKI and SKI.
 * Names are encoded as in the CA certificates: C PrintableString, the rest UTF8String.
 * The responder key may be RSA-2048+ (RSASSA-PKCS1-v1_5 / SHA-256) or ECDSA P-256; the CA signs with its RSA key.
 *
 * NOTE: with nocheck, a stolen responder key cannot be revoked in practice (§4.2.2.2.1):
 * keep the validity short (days to weeks) and renew. The caller chooses it; it must lie within the CA's.
 *
 * @example
 * const der = await buildOcspResponderCertificate({ issuer: { certificate: caCert, privateKey: caKey }, publicKey: responderKeys.publicKey,
 *   serialNumber: randomSerial, notBefore: now, notAfter: inSevenDays, kind: 'auth' });
 */
export async function buildOcspResponderCertificate(params: {
  issuer: Issuer;
  publicKey: webcrypto.CryptoKey;
  serialNumber: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  kind: CaKind;
}): Promise<Uint8Array> {
  const { issuer, publicKey, serialNumber, notBefore, notAfter, kind } = params;
  checkKind(kind, issuer.certificate);
  checkIssuerKey(issuer.privateKey);
  checkResponderKey(publicKey);
  checkValidity(notBefore, notAfter, issuer.certificate);
  const ski = issuer.certificate.getExtension(x509.SubjectKeyIdentifierExtension);
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialHex(serialNumber),
    subject: new x509.Name(responderName(kind)),
    issuer: issuer.certificate.subjectName,
    notBefore,
    notAfter,
    publicKey,
    signingKey: issuer.privateKey,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.ocspSigning], false),
      // id-pkix-ocsp-nocheck ::= NULL, so extnValue is the DER of NULL.
      new x509.Extension(id_pkix_ocsp_nocheck, false, Uint8Array.of(0x05, 0x00)),
      // The CA's own SKI when it has one, so AKI matches what the CA announces (RFC 5280 §4.2.1.1).
      ski ? new x509.AuthorityKeyIdentifierExtension(ski.keyId, false)
        : await x509.AuthorityKeyIdentifierExtension.create(issuer.certificate.publicKey, false, webcrypto),
      await x509.SubjectKeyIdentifierExtension.create(publicKey, false, webcrypto),
    ],
  }, webcrypto);
  return new Uint8Array(certificate.rawData);
}

/** `C=JP, O=JPKI, OU=<CA OU>, CN=OCSP Responder`, one attribute per RDN like the CA's own DN. */
function responderName(kind: CaKind): AsnName {
  const rdns: Array<[type: string, value: AttributeValue]> = [
    ['2.5.4.6', new AttributeValue({ printableString: 'JP' })],
    ['2.5.4.10', new AttributeValue({ utf8String: 'JPKI' })],
    ['2.5.4.11', new AttributeValue({ utf8String: CA_OU[kind] })],
    ['2.5.4.3', new AttributeValue({ utf8String: 'OCSP Responder' })],
  ];
  return new AsnName(rdns.map(([type, value]) => new RelativeDistinguishedName([new AttributeTypeAndValue({ type, value })])));
}

// ---------------------------------------------------------------------------------------------
// Checks on what the caller passes (misuse is a TypeError, STYLE)
// ---------------------------------------------------------------------------------------------

/** The kind must be the issuing CA's: an `auth` responder certified by the `sign` CA would answer for the wrong CA. */
function checkKind(kind: CaKind, caCertificate: x509.X509Certificate): void {
  if (kind !== 'sign' && kind !== 'auth') throw new TypeError(`unknown CA kind: ${String(kind)}`);
  if (!caCertificate.subjectName.getField('2.5.4.11').includes(CA_OU[kind])) {
    throw new TypeError(`the issuer is not the ${kind} CA (its subject has no OU=${CA_OU[kind]})`);
  }
}

function checkIssuerKey(key: webcrypto.CryptoKey): void {
  const algorithm = key.algorithm as webcrypto.RsaHashedKeyAlgorithm;
  if (key.type !== 'private' || algorithm.name !== 'RSASSA-PKCS1-v1_5' || algorithm.hash?.name !== 'SHA-256' || !key.usages.includes('sign')) {
    throw new TypeError('the issuer key must be an RSASSA-PKCS1-v1_5 / SHA-256 private key usable for signing');
  }
}

/** The keys createOcspSigner can sign with. */
function checkResponderKey(key: webcrypto.CryptoKey): void {
  const algorithm = key.algorithm as webcrypto.RsaHashedKeyAlgorithm & webcrypto.EcKeyAlgorithm;
  const rsa = algorithm.name === 'RSASSA-PKCS1-v1_5' && algorithm.hash?.name === 'SHA-256' && algorithm.modulusLength >= 2048;
  const ec = algorithm.name === 'ECDSA' && algorithm.namedCurve === 'P-256';
  if (key.type !== 'public' || !(rsa || ec)) {
    throw new TypeError('publicKey must be a public RSASSA-PKCS1-v1_5 / SHA-256 key of at least 2048 bits, or an ECDSA P-256 key');
  }
}

function checkValidity(notBefore: Date, notAfter: Date, caCertificate: x509.X509Certificate): void {
  if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime()) || notBefore.getTime() >= notAfter.getTime()) {
    throw new TypeError('notBefore and notAfter must be valid dates with notBefore < notAfter');
  }
  // Clients validate the chain at the time they check, so a responder valid beyond its CA would be valid for nothing there.
  if (notBefore.getTime() < caCertificate.notBefore.getTime() || notAfter.getTime() > caCertificate.notAfter.getTime()) {
    throw new TypeError('the responder certificate must lie within the CA certificate\'s validity');
  }
}

/** Hex for x509's generator, which would silently pick a random serial for an empty or zero one. */
function serialHex(serial: Uint8Array): string {
  const signOctet = (serial[0] ?? 0) & 0x80 ? 1 : 0;
  if (!(serial instanceof Uint8Array) || serial.length === 0 || serial.every((b) => b === 0) || serial.length + signOctet > 20) {
    throw new TypeError('serialNumber must be a positive integer of at most 20 octets (RFC 5280 §4.1.2.2)');
  }
  return Buffer.from(serial).toString('hex');
}
