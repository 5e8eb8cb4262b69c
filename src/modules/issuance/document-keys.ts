// The keys behind every certificate document: a document-signing CA (our stand-in for LGPKI), one signing certificate per municipality, and the QR payload key.
import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { Kysely } from 'kysely';
import type { Clock } from '../../kernel/clock.ts';
import { namedSecret } from './issuance-secrets.ts';
import type { PdfSigningIdentity } from './documents/cades-signature.ts';
import type { PayloadSigningKey } from './documents/verification-payload.ts';

const { subtle } = webcrypto;
const RSA = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' } as const;
const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const YEAR_MS = 365 * 24 * 3600_000;

async function importRsa(pkcs8: Buffer): Promise<webcrypto.CryptoKey> {
  return subtle.importKey('pkcs8', pkcs8, RSA, false, ['sign']);
}

/** Trust material a verifier needs: the CA certificate (DER) and the payload public keys (JWKS). */
export interface DocumentTrust {
  caCertificate: Uint8Array;
  payloadJwks: { keys: webcrypto.JsonWebKey[] };
}

/**
 * Creates (once) and loads the document keys. The CA is 10 years, municipal signers 5 years, all
 * RSA-2048; the payload key is ECDSA P-256 (a short JWS for the QR code).
 */
export function createDocumentKeys(db: Kysely<any>, clock: Clock, sealingKey: Uint8Array) {
  const secret = (name: string, create: () => Promise<{ secret: Uint8Array; publicPart?: Uint8Array }>) => namedSecret(db, clock, sealingKey, name, create);

  let ca: Promise<{ key: webcrypto.CryptoKey; certificate: x509.X509Certificate }> | undefined;
  const loadCa = () => (ca ??= (async () => {
    const stored = await secret('document-ca', async () => {
      const keys = await subtle.generateKey(RSA, true, ['sign', 'verify']) as webcrypto.CryptoKeyPair;
      const now = clock.now();
      const certificate = await x509.X509CertificateGenerator.createSelfSigned({
        serialNumber: randomBytes(8).toString('hex').replace(/^[89a-f]/, '1'),
        name: 'C=JP, O=地方公共団体組織認証基盤（myna-platform）, CN=Municipal Document Signing CA',
        notBefore: now, notAfter: new Date(now.getTime() + 10 * YEAR_MS), keys, signingAlgorithm: RSA,
        extensions: [
          new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
          await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, webcrypto),
        ],
      });
      return { secret: new Uint8Array(await subtle.exportKey('pkcs8', keys.privateKey)), publicPart: new Uint8Array(certificate.rawData) };
    });
    return { key: await importRsa(stored.secret), certificate: new x509.X509Certificate(stored.publicPart!) };
  })().catch((error) => { ca = undefined; throw error; }));

  const signers = new Map<string, Promise<PdfSigningIdentity>>();
  const signerFor = (lgCode: string, municipalityName: string): Promise<PdfSigningIdentity> => {
    let identity = signers.get(lgCode);
    if (!identity) {
      identity = (async () => {
        const authority = await loadCa();
        const stored = await secret(`document-signer:${lgCode}`, async () => {
          const keys = await subtle.generateKey(RSA, true, ['sign', 'verify']) as webcrypto.CryptoKeyPair;
          const now = clock.now();
          const certificate = await x509.X509CertificateGenerator.create({
            serialNumber: randomBytes(8).toString('hex').replace(/^[89a-f]/, '1'),
            subject: `C=JP, O=${municipalityName}, CN=${municipalityName}長`, issuer: authority.certificate.subject,
            notBefore: now, notAfter: new Date(now.getTime() + 5 * YEAR_MS), publicKey: keys.publicKey, signingKey: authority.key, signingAlgorithm: RSA,
            extensions: [
              new x509.BasicConstraintsExtension(false, undefined, true),
              new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
              // emailProtection is the usage NSS (pdfsig) checks for a signer; id-kp-documentSigning (RFC 9336)
              // says what the key is for. poppler 22.12 also wants a CRL distribution point to call the
              // certificate trusted; no document CRL is published yet (.invalid says so).
              new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.4', '1.3.6.1.5.5.7.3.36']),
              new x509.CRLDistributionPointsExtension([`http://crl.myna-platform.invalid/document-signing/${lgCode}.crl`]),
              await x509.AuthorityKeyIdentifierExtension.create(authority.certificate, false, webcrypto),
              await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, webcrypto),
            ],
          });
          return { secret: new Uint8Array(await subtle.exportKey('pkcs8', keys.privateKey)), publicPart: new Uint8Array(certificate.rawData) };
        });
        return { privateKey: await importRsa(stored.secret), certificate: stored.publicPart!, chain: [new Uint8Array(authority.certificate.rawData)] };
      })();
      identity.catch(() => signers.delete(lgCode));
      signers.set(lgCode, identity);
    }
    return identity;
  };

  let payload: Promise<{ signing: PayloadSigningKey; jwk: webcrypto.JsonWebKey }> | undefined;
  const payloadKey = () => (payload ??= (async () => {
    const stored = await secret('payload-key', async () => {
      const keys = await subtle.generateKey(EC, true, ['sign', 'verify']) as webcrypto.CryptoKeyPair;
      const jwk = await subtle.exportKey('jwk', keys.publicKey);
      const kid = `myna-${clock.now().toISOString().slice(0, 10)}`;
      return { secret: new Uint8Array(await subtle.exportKey('pkcs8', keys.privateKey)), publicPart: new Uint8Array(Buffer.from(JSON.stringify({ ...jwk, kid, alg: 'ES256', use: 'sig' }))) };
    });
    const jwk = JSON.parse(Buffer.from(stored.publicPart!).toString('utf8')) as webcrypto.JsonWebKey & { kid: string };
    const privateKey = await subtle.importKey('pkcs8', stored.secret, EC, false, ['sign']);
    return { signing: { privateKey, kid: jwk.kid, alg: 'ES256' as const }, jwk };
  })().catch((error) => { payload = undefined; throw error; }));

  return {
    signerFor,
    payloadKey: async () => (await payloadKey()).signing,
    async trust(): Promise<DocumentTrust> {
      return { caCertificate: new Uint8Array((await loadCa()).certificate.rawData), payloadJwks: { keys: [(await payloadKey()).jwk] } };
    },
  };
}

export type DocumentKeys = ReturnType<typeof createDocumentKeys>;
