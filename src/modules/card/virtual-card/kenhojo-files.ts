// The 券面事項入力補助AP's files: individual number, 4 attributes, their signature, the AP certificate and basic info (spec §6).
import { createHash, sign, type KeyObject } from 'node:crypto';
import { concat, tlv } from './tlv.ts';

/** The 4 attributes as written to the card: 氏名, 住所, 生年月日 (`YYYY-MM-DD`), 性別. */
export interface CardAttributes {
  name: string;
  address: string;
  birthDate: string;
  sex: 'male' | 'female';
}

/** ISO 5218 codes, as jpki/myna and jpki-rs read EF 0002's DF 25. */
export const SEX_CODE = { male: '1', female: '2' } as const;

const ascii = (text: string) => new Uint8Array(Buffer.from(text, 'ascii'));
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

/** EF 0001: `FF 10 0C` + 12 ASCII digits + `FF FF` (17 bytes; the real card's layout, spec §6.1). */
export function myNumberFile(individualNumber: string): Uint8Array {
  if (!/^[0-9]{12}$/.test(individualNumber)) throw new TypeError('individual number must be 12 digits');
  return concat([Uint8Array.of(0xff, 0x10, 0x0c), ascii(individualNumber), Uint8Array.of(0xff, 0xff)]);
}

/**
 * EF 0002: `FF 20` { `DF 21` four 16-bit offsets of the element TLVs · `DF 22` name · `DF 23`
 * address · `DF 24` YYYYMMDD · `DF 25` sex }, in that order (readers parse positionally).
 * Long addresses make the content exceed 127 bytes; the outer length then takes BER long form.
 */
export function basicAttributesFile(attributes: CardAttributes): Uint8Array {
  const elements = [
    tlv([0xdf, 0x22], utf8(attributes.name)),
    tlv([0xdf, 0x23], utf8(attributes.address)),
    tlv([0xdf, 0x24], ascii(attributes.birthDate.replaceAll('-', ''))),
    tlv([0xdf, 0x25], ascii(SEX_CODE[attributes.sex])),
  ];
  const contentLength = 11 + elements.reduce((sum, e) => sum + e.length, 0);
  const outerHeader = contentLength < 0x80 ? 3 : contentLength <= 0xff ? 4 : 5;
  const offsets = new Uint8Array(8);
  let at = outerHeader + 11;
  elements.forEach((element, i) => {
    offsets[2 * i] = at >> 8;
    offsets[2 * i + 1] = at & 0xff;
    at += element.length;
  });
  return tlv([0xff, 0x20], concat([tlv([0xdf, 0x21], offsets), ...elements]));
}

/**
 * EF 0003 (336 bytes): `FF 30 82 01 4B` { `DF 31` SHA-256 of EF 0001 · `DF 32` SHA-256 of EF 0002
 * from the `DF 22` tag on · `DF 33` RSA-2048 PKCS#1 v1.5 SHA-256 signature over those two TLVs }.
 */
export function kenhojoSignatureFile(myNumberEf: Uint8Array, attributesEf: Uint8Array, issuerKey: KeyObject): Uint8Array {
  const nameAt = attributesOffset(attributesEf);
  const hashes = concat([
    tlv([0xdf, 0x31], createHash('sha256').update(myNumberEf).digest()),
    tlv([0xdf, 0x32], createHash('sha256').update(attributesEf.subarray(nameAt)).digest()),
  ]);
  return tlv([0xff, 0x30], concat([hashes, tlv([0xdf, 0x33], sign('sha256', hashes, issuerKey))]));
}

/** Where `DF 22` starts: the first offset of the `DF 21` header. */
function attributesOffset(attributesEf: Uint8Array): number {
  const header = attributesEf[2]! < 0x80 ? 3 : attributesEf[2] === 0x81 ? 4 : 5;
  return (attributesEf[header + 3]! << 8) | attributesEf[header + 4]!;
}

/**
 * EF 0004 (568 bytes), card-verifiable-certificate style: `7F 21` { `5F 4E` AKI(16) ‖ SKI(16) ‖
 * exponent TLV ‖ modulus TLV · `5F 37` signature by the issuer key over the `5F 4E` TLV }.
 */
export function apCertificateFile(publicKey: KeyObject, keyId: Uint8Array, issuerKeyId: Uint8Array, issuerKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: 'jwk' });
  const modulus = Buffer.from(jwk.n!, 'base64url');
  const exponent = Buffer.from(jwk.e!, 'base64url');
  if (modulus.length !== 256) throw new TypeError('the AP key must be RSA-2048');
  const body = tlv([0x5f, 0x4e], concat([issuerKeyId, keyId, tlv([0x82], exponent), tlv([0x81], modulus)]));
  return tlv([0x7f, 0x21], concat([body, tlv([0x5f, 0x37], sign('sha256', body, issuerKey))]));
}

/** EF 0005: `FF 40` { `DF 41` AP info (4) · `DF 42` key id (16) }, padded to 256 bytes (readers ask for exactly 256). */
export function apBasicInfoFile(apInfo: Uint8Array, keyId: Uint8Array): Uint8Array {
  const content = tlv([0xff, 0x40], concat([tlv([0xdf, 0x41], apInfo), tlv([0xdf, 0x42], keyId)]));
  const file = new Uint8Array(256).fill(0xff);
  file.set(content);
  return file;
}
