// JPKI certificate profiles (spec/card-apdu.md §13) as pure functions over WebCrypto keys: CA roots, user certificates, reading them back.
// @peculiar/x509 2.2 resolves its DI container through reflect-metadata at import time, so this must come first.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AttributeTypeAndValue, AttributeValue, CertificatePolicies, CRLDistributionPoints, DirectoryString, DistributionPoint,
  DistributionPointName, GeneralName, Name as AsnName, OtherName, PolicyInformation, PolicyQualifierInfo, Qualifier,
  RelativeDistinguishedName, SubjectAlternativeName, id_ce_certificatePolicies, id_ce_cRLDistributionPoints,
  id_ce_subjectAltName,
} from '@peculiar/asn1-x509';

/** Which of the two JPKI CAs: 署名用 (`sign`) or 利用者証明用 (`auth`). */
export type CaKind = 'sign' | 'auth';

/** The 4 basic attributes (基本4情報) and their substitute-character fields, as the signing certificate carries them. */
export interface BasicAttributes {
  /** 氏名. */
  name: string;
  /** 氏名の代替文字 (characters of the name outside the certificate's repertoire); may be empty. */
  nameSubstitute: string;
  sex: 'male' | 'female';
  /** Gregorian date, `YYYY-MM-DD`. */
  birthDate: string;
  /** 住所. */
  address: string;
  /** 住所の代替文字; may be empty. */
  addressSubstitute: string;
}

/** The CA that signs a user certificate: its certificate (for the issuer DN and key id) and its private key. */
export interface Issuer {
  certificate: x509.X509Certificate;
  privateKey: webcrypto.CryptoKey;
}

/** Certificate policy OIDs (JSRSA-OID names in comments; §13.2/§13.3). */
export const JPKI_POLICY_OID = {
  /** jpki-cp-sign-class20. */
  sign: '1.2.392.200149.8.5.1.1.20',
  /** jpki-cp-auth-class30. */
  auth: '1.2.392.200149.8.5.1.3.30',
} as const;

/** otherName type-ids of the basic attributes in the signing certificate's SubjectAltName (§13.3). */
export const BASIC_ATTRIBUTE_OID = {
  name: '1.2.392.200149.8.5.5.1',
  nameSubstitute: '1.2.392.200149.8.5.5.2',
  gender: '1.2.392.200149.8.5.5.3',
  birthDate: '1.2.392.200149.8.5.5.4',
  address: '1.2.392.200149.8.5.5.5',
  addressSubstitute: '1.2.392.200149.8.5.5.6',
} as const;

/** The CPS URL the fixtures cite (§13.3); the real site moved, but the value is what relying parties see in certificates. */
const CPS_URL = 'http://www.jpki.go.jp/cps.html';
/** id-qt-cps (RFC 5280 §4.2.1.4); asn1-x509 misspells its constant `id_qt_csp`, so it is spelled out here. */
const ID_QT_CPS = '1.3.6.1.5.5.7.2.1';

const ATTRIBUTE_TYPE = { C: '2.5.4.6', L: '2.5.4.7', O: '2.5.4.10', OU: '2.5.4.11', CN: '2.5.4.3' } as const;
type AttributeType = keyof typeof ATTRIBUTE_TYPE;

const CA_OU: Record<CaKind, string> = {
  auth: 'JPKI for user authentication',
  sign: 'JPKI for digital signature',
};

/**
 * The Japanese OU of the CA's SubjectAltName DirName, read from the DER of the real 2023 roots.
 * NOTE: spec §13.1 lists only `C=JP, O=公的個人認証サービス` because OpenSSL's one-line DirName
 * printer truncates there; the real DirName has these two OUs after it.
 */
const CA_SAN_OU: Record<CaKind, string> = {
  auth: '公的個人認証サービス利用者証明用',
  sign: '公的個人認証サービス署名用',
};

/**
 * A DN with one attribute per RDN, in the given order. C is a PrintableString (X520countryName,
 * RFC 5280 §A.1); everything else is a UTF8String, as in the real roots and FORGE-DUMMY.
 */
function distinguishedName(rdns: ReadonlyArray<readonly [AttributeType, string]>): AsnName {
  return new AsnName(rdns.map(([type, value]) => new RelativeDistinguishedName([
    new AttributeTypeAndValue({
      type: ATTRIBUTE_TYPE[type],
      value: new AttributeValue(type === 'C' ? { printableString: value } : { utf8String: value }),
    }),
  ])));
}

function caName(kind: CaKind): AsnName {
  return distinguishedName([['C', 'JP'], ['O', 'JPKI'], ['OU', CA_OU[kind]], ['OU', 'Japan Agency for Local Authority Information Systems']]);
}

/**
 * The DN of a JPKI CA, subject and issuer of its self-signed root (§13.1), RDN order as in the real roots.
 * @example caSubject('sign').toString() // 'C=JP, O=JPKI, OU=JPKI for digital signature, OU=Japan Agency for Local Authority Information Systems'
 */
export function caSubject(kind: CaKind): x509.Name {
  if (kind !== 'sign' && kind !== 'auth') throw new TypeError(`unknown CA kind: ${String(kind)}`);
  return new x509.Name(caName(kind));
}

// ---------------------------------------------------------------------------------------------
// Extensions that x509's own classes cannot express (DirName GeneralNames, otherName, qualifiers)
// ---------------------------------------------------------------------------------------------

function extension(oid: string, critical: boolean, value: object): x509.Extension {
  return new x509.Extension(oid, critical, AsnConvert.serialize(value));
}

function directoryNameSan(dn: AsnName): x509.Extension {
  return extension(id_ce_subjectAltName, false, new SubjectAlternativeName([new GeneralName({ directoryName: dn })]));
}

/** CRL Distribution Points with a single DirName fullName: JPKI publishes no HTTP CRL (§13.3). */
function directoryNameCrlDp(dn: AsnName): x509.Extension {
  return extension(id_ce_cRLDistributionPoints, false, new CRLDistributionPoints([
    new DistributionPoint({ distributionPoint: new DistributionPointName({ fullName: [new GeneralName({ directoryName: dn })] }) }),
  ]));
}

function certificatePolicies(policyOid: string, critical: boolean): x509.Extension {
  return extension(id_ce_certificatePolicies, critical, new CertificatePolicies([
    new PolicyInformation({
      policyIdentifier: policyOid,
      policyQualifiers: [new PolicyQualifierInfo({ policyQualifierId: ID_QT_CPS, qualifier: AsnConvert.serialize(new Qualifier({ cPSuri: CPS_URL })) })],
    }),
  ]));
}

function utf8OtherName(typeId: string, value: string): GeneralName {
  // OtherName.value is `[0] EXPLICIT ANY`: the schema adds the [0] wrapper, we supply the UTF8String TLV.
  return new GeneralName({ otherName: new OtherName({ typeId, value: AsnConvert.serialize(new DirectoryString({ utf8String: value })) }) });
}

async function subjectKeyIdentifier(publicKey: webcrypto.CryptoKey | Uint8Array): Promise<x509.Extension> {
  // RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits.
  return x509.SubjectKeyIdentifierExtension.create(publicKey, false, webcrypto);
}

/** The issuer's own SKI when it has one, so AKI matches whatever the CA certificate announces (RFC 5280 §4.2.1.1). */
async function authorityKeyIdentifier(issuerCertificate: x509.X509Certificate): Promise<x509.Extension> {
  const ski = issuerCertificate.getExtension(x509.SubjectKeyIdentifierExtension);
  if (ski) return new x509.AuthorityKeyIdentifierExtension(ski.keyId, false);
  return x509.AuthorityKeyIdentifierExtension.create(issuerCertificate.publicKey, false, webcrypto);
}

// ---------------------------------------------------------------------------------------------
// Checks on what the caller passes (misuse is a TypeError, STYLE)
// ---------------------------------------------------------------------------------------------

function checkSigningKey(key: webcrypto.CryptoKey): void {
  const algorithm = key.algorithm as webcrypto.RsaHashedKeyAlgorithm;
  if (key.type !== 'private' || algorithm.name !== 'RSASSA-PKCS1-v1_5' || algorithm.hash?.name !== 'SHA-256' || !key.usages.includes('sign')) {
    throw new TypeError('the issuer key must be an RSASSA-PKCS1-v1_5 / SHA-256 private key usable for signing');
  }
}

function checkRsa2048(algorithm: webcrypto.RsaHashedKeyAlgorithm): void {
  const e = Buffer.from(algorithm.publicExponent).toString('hex').replace(/^0+/, '');
  if (algorithm.modulusLength !== 2048 || e !== '10001') throw new TypeError('JPKI keys are RSA-2048 with e = 65537 (DESIGN §7)');
}

/** Imports the card's SPKI only to check it is RSA-2048 / 65537; a TypeError says what is wrong. */
export async function checkSubjectPublicKeyInfo(spki: Uint8Array): Promise<void> {
  let key: webcrypto.CryptoKey;
  try {
    key = await webcrypto.subtle.importKey('spki', spki, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, ['verify']);
  } catch (cause) {
    throw new TypeError('subjectPublicKeyInfo is not a DER RSA SubjectPublicKeyInfo', { cause });
  }
  checkRsa2048(key.algorithm as webcrypto.RsaHashedKeyAlgorithm);
}

/** Hex for x509's generator; it would silently pick a random serial for an empty or zero one, which breaks purity. */
function serialHex(serial: Uint8Array): string {
  const signOctet = (serial[0] ?? 0) & 0x80 ? 1 : 0;
  if (serial.length === 0 || serial.every((b) => b === 0) || serial.length + signOctet > 20) {
    throw new TypeError('serialNumber must be a positive integer of at most 20 octets (RFC 5280 §4.1.2.2)');
  }
  return Buffer.from(serial).toString('hex');
}

function checkValidity(notBefore: Date, notAfter: Date): void {
  if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime()) || notBefore.getTime() >= notAfter.getTime()) {
    throw new TypeError('notBefore and notAfter must be valid dates with notBefore < notAfter');
  }
}

function nonEmpty(value: string, what: string, max = Infinity): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) throw new TypeError(`${what} must be a non-empty string${max < Infinity ? ` of at most ${max} characters` : ''}`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Certificates
// ---------------------------------------------------------------------------------------------

/**
 * The self-signed root of a JPKI CA, shaped like the real 2023 roots (§13.1): same names, extensions,
 * their order and criticality, so with the same serial length it has the same size (1 304 / 1 319 bytes).
 * @example const ca = await buildCaCertificate({ kind: 'sign', keys, serialNumber: new Uint8Array([1]), notBefore, notAfter });
 */
export async function buildCaCertificate(params: {
  kind: CaKind;
  keys: webcrypto.CryptoKeyPair;
  serialNumber: Uint8Array;
  notBefore: Date;
  notAfter: Date;
}): Promise<x509.X509Certificate> {
  const { kind, keys, serialNumber, notBefore, notAfter } = params;
  const name = caSubject(kind);
  checkSigningKey(keys.privateKey);
  checkRsa2048(keys.publicKey.algorithm as webcrypto.RsaHashedKeyAlgorithm);
  checkValidity(notBefore, notAfter);
  return x509.X509CertificateGenerator.create({
    serialNumber: serialHex(serialNumber),
    subject: name,
    issuer: name,
    notBefore,
    notAfter,
    publicKey: keys.publicKey,
    signingKey: keys.privateKey,
    // Order as the real roots list them in §13.1.
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      directoryNameSan(distinguishedName([['C', 'JP'], ['O', '公的個人認証サービス'], ['OU', CA_SAN_OU[kind]], ['OU', '地方公共団体情報システム機構']])),
      new x509.BasicConstraintsExtension(true, undefined, true),
      // The real roots point at their own DN: CRLs are fetched from the J-LIS directory, not over HTTP.
      directoryNameCrlDp(caName(kind)),
      await subjectKeyIdentifier(keys.publicKey),
    ],
  }, webcrypto);
}

/** What every user certificate needs besides its subject and extensions. */
export interface UserCertificateParams {
  issuer: Issuer;
  /** DER SubjectPublicKeyInfo as the card exported it (canonical DER comes out byte-identical in the certificate). */
  subjectPublicKeyInfo: Uint8Array;
  serialNumber: Uint8Array;
  notBefore: Date;
  notAfter: Date;
}

async function issue(params: UserCertificateParams, subject: AsnName, extensions: x509.Extension[]): Promise<Uint8Array> {
  checkSigningKey(params.issuer.privateKey);
  checkValidity(params.notBefore, params.notAfter);
  await checkSubjectPublicKeyInfo(params.subjectPublicKeyInfo);
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialHex(params.serialNumber),
    subject: new x509.Name(subject),
    issuer: params.issuer.certificate.subjectName,
    notBefore: params.notBefore,
    notAfter: params.notAfter,
    publicKey: params.subjectPublicKeyInfo,
    signingKey: params.issuer.privateKey,
    extensions: [
      ...extensions,
      await authorityKeyIdentifier(params.issuer.certificate),
      await subjectKeyIdentifier(params.subjectPublicKeyInfo),
    ],
  }, webcrypto);
  return new Uint8Array(certificate.rawData);
}

/**
 * A user-authentication certificate (利用者証明用電子証明書, EF 000A, §13.2): subject `C=JP, CN=<id>`
 * and no personal data at all, so that presenting it reveals nothing but the opaque id.
 * @example const der = await buildUserAuthCertificate({ issuer, subjectPublicKeyInfo, serialNumber, notBefore, notAfter, commonName: '8439ABCD…' });
 */
export async function buildUserAuthCertificate(params: UserCertificateParams & { commonName: string }): Promise<Uint8Array> {
  // ub-common-name (RFC 5280 §A.1).
  const commonName = nonEmpty(params.commonName, 'commonName', 64);
  return issue(params, distinguishedName([['C', 'JP'], ['CN', commonName]]), [
    // The sources do not know the real auth key usage (§13.2 [unknown]); digitalSignature is what
    // client authentication needs (and what Web eID-style validators check, §14.4).
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    // Our choice, mirroring the signing profile: critical, with the same CPS qualifier.
    certificatePolicies(JPKI_POLICY_OID.auth, true),
    // Our choice, mirroring the signing profile's DirName; the real auth value is not in the sources.
    directoryNameCrlDp(distinguishedName([['C', 'JP'], ['O', 'JPKI'], ['OU', CA_OU.auth], ['OU', 'CRL Distribution Points']])),
  ]);
}

/** The signing certificate's subject (§13.3); none of it is personal data. */
export interface SigningSubject {
  /** e.g. `Tokyo-to`. */
  prefectureRomaji: string;
  /** e.g. `Mitaka-shi`. */
  municipalityRomaji: string;
  /** When the issuance was requested; written in JST. */
  requestTime: Date;
  /** 0..99999, written as 5 digits. */
  sequence: number;
  /** The 9-character code of the issuing window. */
  windowCode: string;
}

/**
 * `YYYYMMDDhhmmss` (JST) + 5-digit sequence + 9-char window code: the signing certificate's CN (§13.3).
 * NOTE: the window code is restricted to ASCII letters and digits, since the sources show its length only.
 */
export function signingCommonName(subject: Pick<SigningSubject, 'requestTime' | 'sequence' | 'windowCode'>): string {
  const { requestTime, sequence, windowCode } = subject;
  if (Number.isNaN(requestTime.getTime())) throw new TypeError('requestTime must be a valid date');
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 99_999) throw new TypeError('sequence must be an integer 0..99999');
  if (!/^[0-9A-Za-z]{9}$/.test(windowCode)) throw new TypeError('windowCode must be 9 ASCII letters or digits');
  // JST has no daylight saving, so a fixed +9 h shift is exact.
  const jst = new Date(requestTime.getTime() + 9 * 3_600_000).toISOString();
  const stamp = jst.slice(0, 19).replace(/[-T:]/g, '');
  return `${stamp}${String(sequence).padStart(5, '0')}${windowCode}`;
}

/**
 * A signing certificate (署名用電子証明書, EF 0001, §13.3) carrying the basic attributes in its SubjectAltName.
 * @example const der = await buildSigningCertificate({ issuer, subjectPublicKeyInfo, serialNumber, notBefore, notAfter,
 *   subject: { prefectureRomaji: 'Tokyo-to', municipalityRomaji: 'Mitaka-shi', requestTime, sequence: 1, windowCode: '132047001' },
 *   attributes, crl: { prefecture: '東京都', municipality: '三鷹市' } });
 */
export async function buildSigningCertificate(params: UserCertificateParams & {
  subject: SigningSubject;
  attributes: BasicAttributes;
  /** Names for the CRL Distribution Point DirName (the CRL is partitioned by municipality). */
  crl: { prefecture: string; municipality: string };
}): Promise<Uint8Array> {
  const { subject, attributes, crl } = params;
  const subjectName = distinguishedName([
    ['C', 'JP'],
    ['L', nonEmpty(subject.prefectureRomaji, 'prefectureRomaji')],
    ['L', nonEmpty(subject.municipalityRomaji, 'municipalityRomaji')],
    ['CN', signingCommonName(subject)],
  ]);
  const crlName = distinguishedName([
    ['C', 'JP'], ['O', 'JPKI'], ['OU', CA_OU.sign], ['OU', 'CRL Distribution Points'],
    ['OU', nonEmpty(crl.prefecture, 'crl.prefecture')], ['CN', nonEmpty(crl.municipality, 'crl.municipality')],
  ]);
  return issue(params, subjectName, [
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
    extension(id_ce_subjectAltName, false, new SubjectAlternativeName(basicAttributeNames(attributes))),
    certificatePolicies(JPKI_POLICY_OID.sign, true),
    directoryNameCrlDp(crlName),
  ]);
}

/**
 * The SAN otherNames in FORGE-DUMMY's order (.1, .4, .3, .5, .2, .6). Empty substitute fields are
 * still written as empty strings (our choice): readers then always find all six.
 */
function basicAttributeNames(attributes: BasicAttributes): GeneralName[] {
  if (typeof attributes.nameSubstitute !== 'string' || typeof attributes.addressSubstitute !== 'string') {
    throw new TypeError('nameSubstitute and addressSubstitute must be strings (empty when unused)');
  }
  return [
    utf8OtherName(BASIC_ATTRIBUTE_OID.name, nonEmpty(attributes.name, 'name')),
    utf8OtherName(BASIC_ATTRIBUTE_OID.birthDate, encodeBirthDate(attributes.birthDate)),
    utf8OtherName(BASIC_ATTRIBUTE_OID.gender, encodeGender(attributes.sex)),
    utf8OtherName(BASIC_ATTRIBUTE_OID.address, nonEmpty(attributes.address, 'address')),
    utf8OtherName(BASIC_ATTRIBUTE_OID.nameSubstitute, attributes.nameSubstitute),
    utf8OtherName(BASIC_ATTRIBUTE_OID.addressSubstitute, attributes.addressSubstitute),
  ];
}

// ---------------------------------------------------------------------------------------------
// Attribute encodings
// ---------------------------------------------------------------------------------------------

/**
 * The gender code in the certificate: JIS X 5004 / ISO/IEC 5218 (1 = male, 2 = female), the code the
 * 住基 system uses. NOTE: the sources only say "code"; this is our reading.
 * @example encodeGender('female') // '2'
 */
export function encodeGender(sex: BasicAttributes['sex']): '1' | '2' {
  if (sex === 'male') return '1';
  if (sex === 'female') return '2';
  throw new TypeError(`sex must be 'male' or 'female', got ${String(sex)}`);
}

/** First day of each era, with its digit; dates before 明治's first day are still written as 明治 (no era digit exists for them). */
const ERAS: ReadonlyArray<readonly [start: string, digit: string]> = [
  ['2019-05-01', '5'], // 令和
  ['1989-01-08', '4'], // 平成
  ['1926-12-25', '3'], // 昭和
  ['1912-07-30', '2'], // 大正
  ['1868-10-23', '1'], // 明治
];

function checkIsoDate(isoDate: string): void {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  const [, y, m, d] = match ?? [];
  const date = match ? new Date(Date.UTC(Number(y), Number(m) - 1, Number(d))) : undefined;
  // Date.UTC rolls 02-30 over to March; comparing back catches impossible dates.
  if (!date || date.toISOString().slice(0, 10) !== isoDate) throw new TypeError(`not a valid YYYY-MM-DD date: ${String(isoDate)}`);
}

/**
 * The certificate's birth date: era digit + Gregorian YYYYMMDD, 9 characters (ZKM, fixture `419900102`).
 * @example encodeBirthDate('1990-01-02') // '419900102' (平成)
 */
export function encodeBirthDate(isoDate: string): string {
  checkIsoDate(isoDate);
  // ISO dates compare correctly as strings.
  const digit = ERAS.find(([start]) => isoDate >= start)?.[1] ?? '1';
  return `${digit}${isoDate.replaceAll('-', '')}`;
}

// ---------------------------------------------------------------------------------------------
// Reading certificates back (for verifiers)
// ---------------------------------------------------------------------------------------------

/**
 * The basic attributes of a signing certificate (the inverse of its SAN encoding). The era digit is
 * not checked against the date, so certificates from other issuers with other era conventions still read.
 * Throws a TypeError when the certificate does not carry all six attributes (e.g. an auth certificate).
 * @example readBasicAttributes(der).birthDate // '1990-01-02'
 */
export function readBasicAttributes(certificateDer: Uint8Array): BasicAttributes {
  return asTypeError(() => readBasicAttributesUnchecked(certificateDer));
}

/**
 * The ASN.1 libraries throw their own error types for bad DER; callers get one kind, TypeError,
 * with the library's error as the cause (found by test/jpki-fuzz.test.ts).
 */
function asTypeError<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof TypeError) throw error;
    throw new TypeError('not a readable DER X.509 certificate', { cause: error });
  }
}

function readBasicAttributesUnchecked(certificateDer: Uint8Array): BasicAttributes {
  const san = new x509.X509Certificate(certificateDer).getExtension(id_ce_subjectAltName);
  if (!san) throw new TypeError('the certificate has no SubjectAltName: not a JPKI signing certificate');
  const values = new Map<string, string>();
  for (const generalName of AsnConvert.parse(san.value, SubjectAlternativeName)) {
    const other = generalName.otherName;
    if (other) values.set(other.typeId, AsnConvert.parse(other.value, DirectoryString).toString());
  }
  const get = (key: keyof typeof BASIC_ATTRIBUTE_OID): string => {
    const value = values.get(BASIC_ATTRIBUTE_OID[key]);
    if (value === undefined) throw new TypeError(`the certificate lacks the ${key} attribute (${BASIC_ATTRIBUTE_OID[key]})`);
    return value;
  };
  const gender = get('gender');
  if (gender !== '1' && gender !== '2') throw new TypeError(`unknown gender code: ${gender}`);
  const birth = /^[1-5](\d{4})(\d{2})(\d{2})$/.exec(get('birthDate'));
  if (!birth) throw new TypeError(`birth date is not era digit + YYYYMMDD: ${get('birthDate')}`);
  return {
    name: get('name'),
    nameSubstitute: get('nameSubstitute'),
    sex: gender === '1' ? 'male' : 'female',
    birthDate: `${birth[1]}-${birth[2]}-${birth[3]}`,
    address: get('address'),
    addressSubstitute: get('addressSubstitute'),
  };
}

/**
 * The policy OIDs of a certificate, in order; empty when it has no certificatePolicies extension.
 * @example readCertificatePolicyOids(der) // ['1.2.392.200149.8.5.1.1.20']
 */
export function readCertificatePolicyOids(der: Uint8Array): string[] {
  return asTypeError(() => {
    const policies = new x509.X509Certificate(der).getExtension(id_ce_certificatePolicies);
    if (!policies) return [];
    // Array.from: mapping the AsnArray itself would return another CertificatePolicies, not a plain string[].
    return Array.from(AsnConvert.parse(policies.value, CertificatePolicies), (policy) => policy.policyIdentifier);
  });
}
