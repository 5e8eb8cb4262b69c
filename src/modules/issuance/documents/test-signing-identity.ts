// Throwaway keys for tests and demos: a municipal document-signing CA with a 市長 signing certificate (RSA-2048), and an ES256 payload key with its JWK set.
// @peculiar/x509 2.2 resolves its DI container through reflect-metadata at import time, so this must come first.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { exportJWK, type JSONWebKeySet } from 'jose';
import type { PdfSigningIdentity } from './cades-signature.ts';
import type { PayloadSigningKey } from './verification-payload.ts';

const RSA = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;
const EMAIL_PROTECTION = '1.3.6.1.5.5.7.3.4';
const DOCUMENT_SIGNING = '1.3.6.1.5.5.7.3.36';

/** A test CA and a signing identity under it. */
export interface TestSigningAuthority {
  /** What signPdf needs: the 市長's key, certificate and the CA above it. */
  identity: PdfSigningIdentity;
  /** The CA certificate (DER), to put in a verifier's trust list or an NSS database. */
  caCertificate: Uint8Array;
}

/**
 * A self-signed document-signing CA (`C=JP, O=<municipality>, CN=<municipality> 公文書署名認証局`) and a
 * signing certificate (`C=JP, O=<municipality>, CN=<mayorTitle>`, keyUsage digitalSignature +
 * nonRepudiation) valid from `notBefore` for `days`. Never use outside tests and demos: the keys are
 * made on the spot and kept in memory only.
 *
 * @example
 * const { identity, caCertificate } = await makeTestSigningAuthority();
 * const signed = await signPdf(pdf, identity);
 */
export async function makeTestSigningAuthority(options: { municipality?: string; mayorTitle?: string; notBefore?: Date; days?: number } = {}): Promise<TestSigningAuthority> {
  const municipality = options.municipality ?? '三鷹市';
  const mayorTitle = options.mayorTitle ?? `${municipality}長`;
  const notBefore = options.notBefore ?? new Date(Date.now() - DAY_MS);
  const notAfter = new Date(notBefore.getTime() + (options.days ?? 365) * DAY_MS);
  const caKeys = await webcrypto.subtle.generateKey(RSA, false, ['sign', 'verify']) as webcrypto.CryptoKeyPair;
  const signerKeys = await webcrypto.subtle.generateKey(RSA, false, ['sign', 'verify']) as webcrypto.CryptoKeyPair;
  const caName = `C=JP, O=${municipality}, CN=${municipality} 公文書署名認証局`;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: caName,
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: RSA,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey, false, webcrypto),
    ],
  }, webcrypto);
  const signer = await x509.X509CertificateGenerator.create({
    serialNumber: '1001',
    subject: `C=JP, O=${municipality}, CN=${mayorTitle}`,
    issuer: ca.subject,
    notBefore,
    notAfter,
    publicKey: signerKeys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: RSA,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
      // emailProtection is what NSS (pdfsig) checks for its "email signer" usage; id-kp-documentSigning
      // (RFC 9336) says what the key is for. With both this and a CRL distribution point, poppler 22.12
      // reports "Certificate is Trusted": it reads NSS's last error code even after a successful
      // verification, and without them that is a stale SEC_ERROR_EXTENSION_NOT_FOUND, which it prints as
      // "Unknown issue with Certificate or corrupted data".
      new x509.ExtendedKeyUsageExtension([EMAIL_PROTECTION, DOCUMENT_SIGNING]),
      new x509.CRLDistributionPointsExtension([`http://example.invalid/${encodeURIComponent(municipality)}/document-signing.crl`]),
      await x509.AuthorityKeyIdentifierExtension.create(ca, false, webcrypto),
      await x509.SubjectKeyIdentifierExtension.create(signerKeys.publicKey, false, webcrypto),
    ],
  }, webcrypto);
  const caCertificate = new Uint8Array(ca.rawData);
  return {
    identity: { privateKey: signerKeys.privateKey, certificate: new Uint8Array(signer.rawData), chain: [caCertificate] },
    caCertificate,
  };
}

/**
 * An ES256 key for verification payloads and the JWK set a verifier trusts.
 *
 * @example
 * const { key, jwks } = await makeTestPayloadKey('132047-test');
 * const token = await makeVerificationPayload(doc, key);
 */
export async function makeTestPayloadKey(kid = '132047-test'): Promise<{ key: PayloadSigningKey; jwks: JSONWebKeySet }> {
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']) as webcrypto.CryptoKeyPair;
  const publicJwk = await exportJWK(keys.publicKey);
  return {
    key: { privateKey: keys.privateKey, kid, alg: 'ES256' },
    jwks: { keys: [{ ...publicJwk, kid, alg: 'ES256', use: 'sig' }] },
  };
}
