// Everything J-LIS writes to a new chip besides the keys: certificates, 券面事項入力補助AP, 券面AP and 住基AP files (spec §5–§8).
import { createHash, sign, type KeyObject } from 'node:crypto';
import type { CardImage } from './virtual-card/card-image.ts';
import { FID } from './virtual-card/card-layout.ts';
import { setChipPin, writeChipFile } from './virtual-card/chip-personalisation.ts';
import { apBasicInfoFile, basicAttributesFile, kenhojoSignatureFile, myNumberFile, type CardAttributes } from './virtual-card/kenhojo-files.ts';
import { concat, tlv } from './virtual-card/tlv.ts';
import { renderTextImage } from './card-face-images.ts';
import type { IssuerKey } from './issuer-key.ts';

/** What the chip's data files are made from. */
export interface ChipContents {
  attributes: CardAttributes;
  individualNumber: string;
  residentCode: string;
  serial: string;
  expiresOn: string;
  /** 4 digits printed on the card face, part of 照合番号B. */
  securityCode: string;
  municipalityName: string;
  photo: Uint8Array;
  authCertificate: Uint8Array;
  signCertificate: Uint8Array | null;
  authCaCertificate: Uint8Array;
  signCaCertificate: Uint8Array;
}

const ascii = (text: string) => new Uint8Array(Buffer.from(text, 'ascii'));
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const signed = (data: Uint8Array, key: KeyObject) => new Uint8Array(sign('sha256', data, key));

/** 照合番号B: birth YYMMDD + expiry year YYYY + security code (14 digits, spec §7). */
export function collationB(birthDate: string, expiresOn: string, securityCode: string): string {
  return birthDate.slice(2, 4) + birthDate.slice(5, 7) + birthDate.slice(8, 10) + expiresOn.slice(0, 4) + securityCode;
}

/** Writes the JPKI certificates (and the presence flags of EF 0008). */
export function writeJpkiFiles(image: CardImage, contents: Pick<ChipContents, 'authCertificate' | 'signCertificate' | 'authCaCertificate' | 'signCaCertificate'>): void {
  const j = FID.jpki;
  writeChipFile(image, 'jpki', j.authCertificate, contents.authCertificate);
  writeChipFile(image, 'jpki', j.authCaCertificate, contents.authCaCertificate);
  writeChipFile(image, 'jpki', j.signCaCertificate, contents.signCaCertificate);
  writeChipFile(image, 'jpki', j.signCertificate, contents.signCertificate ?? new Uint8Array(0));
  writeChipFile(image, 'jpki', j.certificatePresence, Uint8Array.of(contents.signCertificate ? 0x8f : 0x00, 0x8f, 0x00));
}

/** Writes the 券面事項入力補助AP: number, 4 attributes, their signature, AP certificate, basic info, 照合番号A/B. */
export function writeKenhojoFiles(image: CardImage, contents: ChipContents, issuer: IssuerKey): void {
  const h = FID.kenhojo;
  const numberEf = myNumberFile(contents.individualNumber);
  const attributesEf = basicAttributesFile(contents.attributes);
  writeChipFile(image, 'kenhojo', h.myNumber, numberEf);
  writeChipFile(image, 'kenhojo', h.basicAttributes, attributesEf);
  writeChipFile(image, 'kenhojo', h.signature, kenhojoSignatureFile(numberEf, attributesEf, issuer.privateKey));
  writeChipFile(image, 'kenhojo', h.apCertificate, issuer.apCertificate);
  writeChipFile(image, 'kenhojo', h.basicInfo, apBasicInfoFile(Uint8Array.of(0x01, 0x00, 0x00, 0x01), issuer.keyId));
  setChipPin(image, 'kenhojo', h.collationA, contents.individualNumber);
  setChipPin(image, 'kenhojo', h.collationB, collationB(contents.attributes.birthDate, contents.expiresOn, contents.securityCode));
}

/**
 * Writes the 券面AP: the card face as data and images, each part signed by the issuer key.
 * EF 0002 = `FF 20 82 LL LL` { DF 21 offsets · DF 22 birth · DF 23 sex · DF 24 issuer public key ·
 * DF 25 name PNG · DF 26 address PNG · DF 27 photo · DF 28 signature over DF 22–DF 27 · DF 29 expiry ·
 * DF 2A security code PNG } (the order readers agree on, spec §7). The photo is stored as the
 * application supplied it (JPEG/PNG); the real card holds JPEG 2000.
 */
export function writeKenkakuFiles(image: CardImage, contents: ChipContents, issuer: IssuerKey): void {
  const k = FID.kenkaku;
  const birth = ascii(contents.attributes.birthDate.replaceAll('-', ''));
  const signedPart = [
    tlv([0xdf, 0x22], birth),
    tlv([0xdf, 0x23], ascii(contents.attributes.sex === 'male' ? '1' : '2')),
    tlv([0xdf, 0x24], issuer.spki),
    tlv([0xdf, 0x25], renderTextImage(contents.attributes.name)),
    tlv([0xdf, 0x26], renderTextImage(contents.attributes.address)),
    tlv([0xdf, 0x27], contents.photo),
  ];
  const elements = [
    ...signedPart,
    tlv([0xdf, 0x28], signed(concat(signedPart), issuer.privateKey)),
    tlv([0xdf, 0x29], ascii(contents.expiresOn.replaceAll('-', ''))),
    tlv([0xdf, 0x2a], renderTextImage(contents.securityCode)),
  ];
  const header = new Uint8Array(2 * elements.length);
  const contentLength = 2 + 1 + header.length + elements.reduce((sum, e) => sum + e.length, 0);
  let at = (contentLength < 0x80 ? 3 : contentLength <= 0xff ? 4 : 5) + 3 + header.length;
  elements.forEach((element, i) => {
    header[2 * i] = at >> 8;
    header[2 * i + 1] = at & 0xff;
    at += element.length;
  });
  writeChipFile(image, 'kenkaku', k.entries, tlv([0xff, 0x20], concat([tlv([0xdf, 0x21], header), ...elements])));
  const birthTlv = tlv([0xdf, 0x11], birth);
  writeChipFile(image, 'kenkaku', k.birth, tlv([0xff, 0x10], concat([birthTlv, tlv([0xdf, 0x12], issuer.spki), tlv([0xdf, 0x13], signed(birthTlv, issuer.privateKey))])));
  const numberImage = tlv([0xdf, 0x41], renderTextImage(contents.individualNumber.replace(/(\d{4})(\d{4})(\d{4})/, '$1 $2 $3'), 32));
  writeChipFile(image, 'kenkaku', k.myNumberImage, tlv([0xff, 0x40], concat([numberImage, tlv([0xdf, 0x42], issuer.spki), tlv([0xdf, 0x43], signed(numberImage, issuer.privateKey))])));
  writeChipFile(image, 'kenkaku', k.basicInfo, tlv([0xff, 0x30], concat([
    tlv([0xdf, 0x31], createHash('sha256').update(contents.serial).digest().subarray(0, 4)),
    tlv([0xdf, 0x32], Uint8Array.of(0x01)),
    tlv([0xdf, 0x33], Uint8Array.of(0x01)),
    tlv([0xdf, 0x34], utf8(contents.municipalityName)),
  ])));
  writeChipFile(image, 'kenkaku', k.apCertificate, issuer.apCertificate);
  setChipPin(image, 'kenkaku', k.collationA, contents.individualNumber);
  setChipPin(image, 'kenkaku', k.collationB, collationB(contents.attributes.birthDate, contents.expiresOn, contents.securityCode));
}

/** Writes the 住基AP: record 1 = `80 0F` "01" + 製造番号 (jpki/myna shows characters 2–15), EF 0002 = 住民票コード behind the 住基 PIN. */
export function writeJukiFiles(image: CardImage, contents: Pick<ChipContents, 'serial' | 'residentCode'>): void {
  writeChipFile(image, 'juki', FID.juki.manufacture, tlv([0x80], ascii(`01${contents.serial}`)));
  writeChipFile(image, 'juki', FID.juki.residentCode, ascii(contents.residentCode));
}
