// The real card's applications, files and PINs (spec/card-apdu.md §2, §5–§9) as a blank, just-manufactured chip.
import type { CardApplication, CardImage, PinFile, PinRule } from './card-image.ts';

/** ATR of the contact interface that OpenSC's jpki driver matches (spec §1.1). */
export const CARD_ATR = Uint8Array.from([0x3b, 0xe0, 0x00, 0xff, 0x81, 0x31, 0xfe, 0x45, 0x14]);

const hex = (value: string) => Uint8Array.from(Buffer.from(value.replace(/\s/g, ''), 'hex'));

/** DF names (AIDs) of the card's applications. */
export const AID = {
  jpki: hex('D3 92 F0 00 26 01 00 00 00 01'),
  kenhojo: hex('D3 92 10 00 31 00 01 01 04 08'),
  kenkaku: hex('D3 92 10 00 31 00 01 01 04 02'),
  juki: hex('D3 92 10 00 31 00 01 01 01 00'),
} as const;

/** File identifiers used by the platform, per application. */
export const FID = {
  jpki: { signCertificate: 0x0001, signCaCertificate: 0x0002, tokenInfo: 0x0006, certificatePresence: 0x0008, authCertificate: 0x000a, authCaCertificate: 0x000b, authKey: 0x0017, authPin: 0x0018, signKey: 0x001a, signPin: 0x001b },
  kenhojo: { myNumber: 0x0001, basicAttributes: 0x0002, signature: 0x0003, apCertificate: 0x0004, basicInfo: 0x0005, pin: 0x0011, collationA: 0x0014, collationB: 0x0015 },
  kenkaku: { birth: 0x0001, entries: 0x0002, basicInfo: 0x0003, apCertificate: 0x0004, myNumberImage: 0x0005, collationB: 0x0012, collationA: 0x0013 },
  juki: { manufacture: 0x0001, residentCode: 0x0002, pin: 0x001c },
} as const;

/**
 * Retry limits. 3 and 5 are the card's documented limits; the collation numbers' limit is not
 * public (spec §16), 10 is our choice.
 */
export const PIN_MAX_TRIES: Record<PinRule, number> = { digits4: 3, alnum6to16: 5, collationA: 10, collationB: 10 };

/** `JPKIAPICCTOKEN2` padded with spaces: the My Number card's token label (EF 0006, spec §5.2). */
export const TOKEN_INFO = Uint8Array.from(Buffer.from('JPKIAPICCTOKEN2'.padEnd(32, ' '), 'ascii'));

function pin(fid: number, rule: PinRule): PinFile {
  return { type: 'pin', fid, rule, value: null, maxTries: PIN_MAX_TRIES[rule], triesLeft: PIN_MAX_TRIES[rule] };
}

const empty = () => new Uint8Array(0);

/**
 * A blank chip: every application and file in place, empty; no keys; PINs not set. Personalisation
 * fills it (personalise-card.ts).
 */
export function blankCardImage(): CardImage {
  const j = FID.jpki;
  const jpki: CardApplication = {
    name: 'jpki', aid: AID.jpki, files: [
      { type: 'binary', fid: j.signCertificate, data: empty(), readPins: [j.signPin] },
      { type: 'binary', fid: j.signCaCertificate, data: empty() },
      { type: 'binary', fid: j.tokenInfo, data: TOKEN_INFO },
      { type: 'binary', fid: j.certificatePresence, data: Uint8Array.of(0, 0, 0) },
      { type: 'binary', fid: j.authCertificate, data: empty() },
      { type: 'binary', fid: j.authCaCertificate, data: empty() },
      { type: 'key', fid: j.authKey, usePin: j.authPin, privateKey: null },
      pin(j.authPin, 'digits4'),
      { type: 'key', fid: j.signKey, usePin: j.signPin, privateKey: null },
      pin(j.signPin, 'alnum6to16'),
    ],
  };
  const h = FID.kenhojo;
  // Seed 004: the PIN opens the number and the 4 attributes, 照合番号A the number, 照合番号B the attributes.
  const kenhojo: CardApplication = {
    name: 'kenhojo', aid: AID.kenhojo, files: [
      { type: 'binary', fid: h.myNumber, data: empty(), readPins: [h.pin, h.collationA] },
      { type: 'binary', fid: h.basicAttributes, data: empty(), readPins: [h.pin, h.collationB] },
      { type: 'binary', fid: h.signature, data: empty(), readPins: [h.pin, h.collationA, h.collationB] },
      { type: 'binary', fid: h.apCertificate, data: empty() },
      { type: 'binary', fid: h.basicInfo, data: empty() },
      pin(h.pin, 'digits4'), pin(h.collationA, 'collationA'), pin(h.collationB, 'collationB'),
    ],
  };
  const k = FID.kenkaku;
  // Seed 004: 照合番号A shows front and back (the number image), 照合番号B the front only.
  const kenkaku: CardApplication = {
    name: 'kenkaku', aid: AID.kenkaku, files: [
      { type: 'binary', fid: k.birth, data: empty(), readPins: [k.collationA, k.collationB] },
      { type: 'binary', fid: k.entries, data: empty(), readPins: [k.collationA, k.collationB] },
      { type: 'binary', fid: k.basicInfo, data: empty() },
      { type: 'binary', fid: k.apCertificate, data: empty() },
      { type: 'binary', fid: k.myNumberImage, data: empty(), readPins: [k.collationA] },
      pin(k.collationB, 'collationB'), pin(k.collationA, 'collationA'),
    ],
  };
  const u = FID.juki;
  const juki: CardApplication = {
    name: 'juki', aid: AID.juki, files: [
      { type: 'record', fid: u.manufacture, records: [] },
      { type: 'binary', fid: u.residentCode, data: empty(), readPins: [u.pin] },
      pin(u.pin, 'digits4'),
    ],
  };
  return { atr: CARD_ATR, phase: 'blank', applications: [jpki, kenhojo, kenkaku, juki] };
}
