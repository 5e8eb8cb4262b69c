// The centre's revocation check as a registered verifier: an RFC 6960 request to JPKI's OCSP responder, its signed answer checked.
import 'reflect-metadata';
import { verify, X509Certificate, type KeyObject } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { BasicOCSPResponse, CertID, OCSPRequest, OCSPResponse, OCSPResponseStatus, Request, TBSRequest, id_pkix_ocsp_basic } from '@peculiar/asn1-ocsp';
import { certIdHashes } from '../../jpki/index.ts';

const SHA1 = '1.3.14.3.2.26';
const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';

// The CA and responder certificates are the same for thousands of requests in a row: their parsing
// and the responder's issuance check are done once per certificate (keyed by the DER itself).
const issuerHashes = new Map<string, ReturnType<typeof certIdHashes>['sha1']>();
const responderKeys = new Map<string, KeyObject>();

/** The responder's public key once `responderDer` is checked to be issued by `caCertificate`; throws if it is not. */
function responderKey(responderDer: Buffer, caCertificate: Uint8Array): KeyObject {
  const cacheKey = `${Buffer.from(caCertificate).toString('base64')}|${responderDer.toString('base64')}`;
  let key = responderKeys.get(cacheKey);
  if (!key) {
    const ca = new X509Certificate(Buffer.from(caCertificate));
    const responder = new X509Certificate(responderDer);
    if (!responder.checkIssued(ca) || !responder.verify(ca.publicKey)) throw new Error('the OCSP responder certificate is not issued by the CA');
    key = responder.publicKey;
    if (responderKeys.size > 64) responderKeys.clear();
    responderKeys.set(cacheKey, key);
  }
  return key;
}

/** good, revoked (with reason), or unknown, from the responder. */
export type OcspStatus = { status: 'good' } | { status: 'revoked'; reason: number | undefined } | { status: 'unknown' };

/** The DER OCSPRequest for one certificate issued by `caCertificate` (SHA-1 CertID, as most clients send). */
export function ocspRequestFor(certificate: Uint8Array, caCertificate: Uint8Array): Uint8Array {
  const caKey = Buffer.from(caCertificate).toString('base64');
  let hashes = issuerHashes.get(caKey);
  if (!hashes) {
    hashes = certIdHashes(caCertificate).sha1;
    if (issuerHashes.size > 64) issuerHashes.clear();
    issuerHashes.set(caKey, hashes);
  }
  const serial = Buffer.from(new X509Certificate(certificate).serialNumber, 'hex');
  const certId = new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: SHA1, parameters: null }),
    issuerNameHash: new OctetString(hashes.nameHash), issuerKeyHash: new OctetString(hashes.keyHash),
    serialNumber: serial.buffer.slice(serial.byteOffset, serial.byteOffset + serial.length) as ArrayBuffer,
  });
  return new Uint8Array(AsnConvert.serialize(new OCSPRequest({ tbsRequest: new TBSRequest({ requestList: [new Request({ reqCert: certId })] }) })));
}

/**
 * Reads the responder's answer: successful, a BasicOCSPResponse whose signature verifies with the
 * responder certificate it carries, that certificate issued by `caCertificate`, and exactly one
 * SingleResponse. Anything else throws: the centre then refuses the card rather than guess.
 */
export function readOcspStatus(response: Uint8Array, caCertificate: Uint8Array): OcspStatus {
  const parsed = AsnConvert.parse(response, OCSPResponse);
  if (parsed.responseStatus !== OCSPResponseStatus.successful || !parsed.responseBytes) throw new Error(`OCSP responder answered status ${parsed.responseStatus}`);
  if (parsed.responseBytes.responseType !== id_pkix_ocsp_basic) throw new Error('not a basic OCSP response');
  const basic = AsnConvert.parse(parsed.responseBytes.response.buffer, BasicOCSPResponse);
  const responderDer = basic.certs?.[0];
  if (!responderDer) throw new Error('the OCSP response carries no responder certificate');
  const responder = responderKey(Buffer.from(AsnConvert.serialize(responderDer)), caCertificate);
  if (basic.signatureAlgorithm.algorithm !== SHA256_WITH_RSA) throw new Error(`unexpected OCSP signature algorithm ${basic.signatureAlgorithm.algorithm}`);
  const tbs = Buffer.from(AsnConvert.serialize(basic.tbsResponseData));
  if (!verify('sha256', tbs, responder, Buffer.from(basic.signature))) {
    throw new Error('the OCSP response signature does not verify');
  }
  const responses = basic.tbsResponseData.responses;
  if (responses.length !== 1) throw new Error('expected one SingleResponse');
  const status = responses[0]!.certStatus;
  if (status.good !== undefined) return { status: 'good' };
  if (status.revoked) return { status: 'revoked', reason: status.revoked.revocationReason?.reason };
  return { status: 'unknown' };
}
