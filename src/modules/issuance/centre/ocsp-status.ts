// The centre's revocation check as a registered verifier: an RFC 6960 request to JPKI's OCSP responder, its signed answer checked.
import 'reflect-metadata';
import { verify, X509Certificate, type KeyObject } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { CertID, OCSPRequest, Request, TBSRequest, id_pkix_ocsp_basic as ID_PKIX_OCSP_BASIC } from '@peculiar/asn1-ocsp';
import * as asn1 from 'asn1js';
import { LRUCache } from 'lru-cache';
import { certIdHashes } from '../../jpki/index.ts';

const SHA1 = '1.3.14.3.2.26';
const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';

// The CA and responder certificates are the same for thousands of requests in a row: their parsing
// and the responder's issuance check are done once per certificate (keyed by the DER itself).
const issuerHashes = new LRUCache<string, ReturnType<typeof certIdHashes>['sha1']>({ max: 64 });
const responderKeys = new LRUCache<string, KeyObject>({ max: 64 });

/** The responder's public key once `responderDer` is checked to be issued by `caCertificate`; throws if it is not. */
function responderKey(responderDer: Buffer, caCertificate: Uint8Array): KeyObject {
  const cacheKey = `${Buffer.from(caCertificate).toString('base64')}|${responderDer.toString('base64')}`;
  let key = responderKeys.get(cacheKey);
  if (!key) {
    const ca = new X509Certificate(Buffer.from(caCertificate));
    const responder = new X509Certificate(responderDer);
    if (!responder.checkIssued(ca) || !responder.verify(ca.publicKey)) throw new Error('the OCSP responder certificate is not issued by the CA');
    key = responder.publicKey;
    responderKeys.set(cacheKey, key);
  }
  return key;
}

/** good, revoked (with reason), or unknown, from the responder. */
export type OcspStatus = { status: 'good' } | { status: 'revoked'; reason: number | undefined } | { status: 'unknown' };

/** The DER OCSPRequest for the certificate with serial `serialHex` issued by `caCertificate` (SHA-1 CertID, as most clients send). */
export function ocspRequestFor(serialHex: string, caCertificate: Uint8Array): Uint8Array {
  const caKey = Buffer.from(caCertificate).toString('base64');
  let hashes = issuerHashes.get(caKey);
  if (!hashes) {
    hashes = certIdHashes(caCertificate).sha1;
    issuerHashes.set(caKey, hashes);
  }
  const serial = Buffer.from(serialHex, 'hex');
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
 * SingleResponse, for `serialHex`. Anything else throws: the centre then refuses the card rather than guess.
 *
 * Read with asn1js's DER reader rather than @peculiar/asn1-ocsp's classes: mapping the whole
 * response onto classes and serialising tbsResponseData back for the signature check cost 4.6 ms per
 * kiosk authentication; walking the few fields needed and verifying the bytes as received costs a tenth.
 */
export function readOcspStatus(response: Uint8Array, expected: { caCertificate: Uint8Array; serialHex: string }): OcspStatus {
  const outer = sequence(asn1.fromBER(response), response.byteLength, 'OCSPResponse');
  const status = outer[0];
  if (!(status instanceof asn1.Enumerated)) throw new Error('not an OCSPResponse');
  if (status.valueBlock.valueDec !== 0) throw new Error(`OCSP responder answered status ${status.valueBlock.valueDec}`);
  const responseBytes = children(explicit(outer[1], 0, 'responseBytes'), 'ResponseBytes');
  const type = responseBytes[0];
  const octets = responseBytes[1];
  if (!(type instanceof asn1.ObjectIdentifier) || type.valueBlock.toString() !== ID_PKIX_OCSP_BASIC || !(octets instanceof asn1.OctetString)) throw new Error('not a basic OCSP response');
  const basicDer = octets.valueBlock.valueHexView;
  const basic = sequence(asn1.fromBER(basicDer), basicDer.byteLength, 'BasicOCSPResponse');
  const [tbs, algorithm, signature, certs] = basic;
  const algorithmOid = children(algorithm, 'signatureAlgorithm')[0];
  if (!(algorithmOid instanceof asn1.ObjectIdentifier) || algorithmOid.valueBlock.toString() !== SHA256_WITH_RSA) throw new Error('unexpected OCSP signature algorithm');
  if (!(signature instanceof asn1.BitString) || !(tbs instanceof asn1.Sequence)) throw new Error('not a BasicOCSPResponse');
  const responderDer = children(explicit(certs, 0, 'certs'), 'certs')[0];
  if (!responderDer) throw new Error('the OCSP response carries no responder certificate');
  const responder = responderKey(Buffer.from(responderDer.valueBeforeDecodeView), expected.caCertificate);
  if (!verify('sha256', tbs.valueBeforeDecodeView, responder, signature.valueBlock.valueHexView)) throw new Error('the OCSP response signature does not verify');
  // ResponseData: [0] version (absent for v1), responderID, producedAt, responses, [1] extensions.
  const data = tbs.valueBlock.value;
  const first = data[0];
  const responses = children(data[(first?.idBlock.tagClass === 3 && first.idBlock.tagNumber === 0) ? 3 : 2], 'responses');
  if (responses.length !== 1) throw new Error('expected one SingleResponse');
  const [certId, certStatus] = children(responses[0], 'SingleResponse');
  const serial = children(certId, 'CertID')[3];
  if (!(serial instanceof asn1.Integer) || Buffer.from(serial.valueBlock.valueHexView).toString('hex').replace(/^00(?=[89a-f])/, '') !== expected.serialHex.toLowerCase()) {
    throw new Error('the OCSP response is about another certificate');
  }
  if (certStatus?.idBlock.tagClass !== 3) throw new Error('malformed certStatus');
  if (certStatus.idBlock.tagNumber === 0) return { status: 'good' };
  if (certStatus.idBlock.tagNumber === 2) return { status: 'unknown' };
  if (certStatus.idBlock.tagNumber !== 1) throw new Error('malformed certStatus');
  // RevokedInfo: revocationTime, [0] EXPLICIT CRLReason OPTIONAL.
  const reason = (certStatus as asn1.Constructed).valueBlock.value[1];
  const code = reason ? children(reason, 'revocationReason')[0] : undefined;
  return { status: 'revoked', reason: code instanceof asn1.Enumerated ? code.valueBlock.valueDec : undefined };
}

type Asn1 = ReturnType<typeof asn1.fromBER>['result'];

/** The elements of a whole-buffer DER SEQUENCE. */
function sequence(parsed: ReturnType<typeof asn1.fromBER>, length: number, what: string): Asn1[] {
  if (parsed.offset !== length || !(parsed.result instanceof asn1.Sequence)) throw new Error(`not a DER ${what}`);
  return parsed.result.valueBlock.value;
}

/** The elements of a constructed value. */
function children(value: Asn1 | undefined, what: string): Asn1[] {
  if (!value || !value.idBlock.isConstructed) throw new Error(`malformed ${what}`);
  return (value as asn1.Constructed).valueBlock.value;
}

/** The one element inside an EXPLICIT [n] tag. */
function explicit(value: Asn1 | undefined, tag: number, what: string): Asn1 {
  if (value?.idBlock.tagClass !== 3 || value.idBlock.tagNumber !== tag) throw new Error(`missing ${what}`);
  const inner = children(value, what)[0];
  if (!inner) throw new Error(`empty ${what}`);
  return inner;
}
