// The virtual IC card: an ISO 7816-4 APDU engine over a CardImage, answering as the real My Number card does (spec/card-apdu.md §12).
import { constants, privateEncrypt, randomBytes, timingSafeEqual } from 'node:crypto';
import { ApduLengthError, parseCommandApdu, type CommandApdu } from './command-apdu.ts';
import { SW, response } from './status-words.ts';
import { findFile, type BinaryFile, type CardApplication, type CardFile, type CardImage, type PinFile } from './card-image.ts';
import { pinValueAllowed } from './pin-rules.ts';

/** What changed in the image during one APDU, so a holder can persist exactly that. */
export type CardMutation = 'pin-counter' | 'pin-value';

/** A powered card: transmit APDUs; reset or power off to clear the volatile state. */
export interface VirtualCard {
  readonly image: CardImage;
  /** ISO 7816-4 command in, response (data ‖ SW1 SW2) out. Never throws. */
  transmit(command: Uint8Array): Uint8Array;
  /** Warm reset: clears selection and security state; returns the ATR. */
  reset(): Uint8Array;
  /** Power off: the same volatile state is lost. */
  powerOff(): void;
}

/** The largest input COMPUTE DIGITAL SIGNATURE pads: 256 − 11 bytes of PKCS#1 v1.5 overhead. */
export const MAX_SIGNING_INPUT = 245;

const CLA_ISO = 0x00;
const CLA_PROPRIETARY = 0x80;
const INS = { SELECT: 0xa4, READ_BINARY: 0xb0, READ_RECORD: 0xb2, VERIFY: 0x20, CHANGE_REFERENCE_DATA: 0x24, GET_CHALLENGE: 0x84, COMPUTE_SIGNATURE: 0x2a } as const;

/**
 * Wraps an image in the engine. `onMutation` is called after any APDU that changed persistent
 * state (a PIN counter or value), so the holder can save the image.
 *
 * @example
 * const card = createVirtualCard(image);
 * card.transmit(Uint8Array.from([0x00, 0xa4, 0x04, 0x0c, 0x0a, ...AID.jpki])); // → 90 00
 */
export function createVirtualCard(image: CardImage, onMutation?: (what: CardMutation) => void): VirtualCard {
  let currentApp: CardApplication | undefined;
  let currentFile: CardFile | undefined;
  let verified = new Set<PinFile>();

  function clearVolatile(): void {
    currentApp = undefined;
    currentFile = undefined;
    verified = new Set();
  }

  /** P2 `80` = the current EF; `80 | SFI` = the EF whose FID is that short identifier (FIDs here are 00xx, xx ≤ 1F). */
  function referencedFile(p2: number): CardFile | undefined {
    if (!currentApp) return undefined;
    if (p2 === 0x80) return currentFile;
    if ((p2 & 0xe0) !== 0x80) return undefined;
    return findFile(currentApp, p2 & 0x1f);
  }

  function mayRead(file: { readPins?: readonly number[] }): boolean {
    if (!file.readPins || file.readPins.length === 0) return true;
    for (const pin of verified) if (file.readPins.includes(pin.fid)) return true;
    return false;
  }

  function select(apdu: CommandApdu): Uint8Array {
    if (apdu.p1 === 0x04) {
      if (apdu.p2 !== 0x0c && apdu.p2 !== 0x00) return response(SW.WRONG_P1P2);
      const app = image.applications.find((a) => equalBytes(a.aid, apdu.data));
      if (!app) return response(SW.FILE_NOT_FOUND);
      // Selecting an application (even the same one) is a logout: OpenSC relies on it (spec §10.6).
      clearVolatile();
      currentApp = app;
      return response(SW.OK);
    }
    if (apdu.p1 === 0x02) {
      if (apdu.p2 !== 0x0c && apdu.p2 !== 0x00) return response(SW.WRONG_P1P2);
      if (apdu.data.length !== 2) return response(SW.WRONG_LENGTH);
      const file = currentApp && findFile(currentApp, (apdu.data[0]! << 8) | apdu.data[1]!);
      if (!file) return response(SW.FILE_NOT_FOUND);
      currentFile = file;
      return response(SW.OK);
    }
    // Selection by path (P1 08/09) does not work on the real card either (OpenSC PR #801).
    return response(SW.WRONG_P1P2);
  }

  function readBinary(apdu: CommandApdu): Uint8Array {
    if (apdu.data.length > 0 || apdu.le === undefined) return response(SW.WRONG_LENGTH);
    let file: CardFile | undefined;
    let offset: number;
    if (apdu.p1 & 0x80) {
      if (apdu.p1 & 0x60) return response(SW.WRONG_P1P2);
      file = currentApp && findFile(currentApp, apdu.p1 & 0x1f);
      if (!file) return response(SW.FILE_NOT_FOUND);
      currentFile = file;
      offset = apdu.p2;
    } else {
      file = currentFile;
      offset = (apdu.p1 << 8) | apdu.p2;
    }
    if (!file || file.type !== 'binary') return response(SW.COMMAND_NOT_ALLOWED_NO_EF);
    if (!mayRead(file)) return response(SW.SECURITY_STATUS_NOT_SATISFIED);
    const data = (file as BinaryFile).data;
    if (offset >= data.length) return response(SW.OFFSET_OUT_OF_RANGE);
    // Fewer bytes than Le at the end of the file come back with 90 00, as the real card does (spec §4, 62 82 avoided).
    return response(SW.OK, data.subarray(offset, Math.min(data.length, offset + apdu.le)));
  }

  function readRecord(apdu: CommandApdu): Uint8Array {
    if (apdu.data.length > 0 || apdu.le === undefined) return response(SW.WRONG_LENGTH);
    // P2 = SFI << 3 | 4: record number P1 of the EF with that short identifier.
    if ((apdu.p2 & 0x07) !== 0x04) return response(SW.WRONG_P1P2);
    const sfi = apdu.p2 >> 3;
    const file = sfi === 0 ? currentFile : currentApp && findFile(currentApp, sfi);
    if (!file || file.type !== 'record') return response(sfi === 0 ? SW.COMMAND_NOT_ALLOWED_NO_EF : SW.FILE_NOT_FOUND);
    if (!mayRead(file)) return response(SW.SECURITY_STATUS_NOT_SATISFIED);
    const record = apdu.p1 === 0 ? undefined : file.records[apdu.p1 - 1];
    if (!record) return response(SW.RECORD_NOT_FOUND);
    return response(SW.OK, record.subarray(0, apdu.le));
  }

  function verify(apdu: CommandApdu): Uint8Array {
    if (apdu.p1 !== 0x00) return response(SW.WRONG_P1P2);
    const pin = referencedFile(apdu.p2);
    if (!pin || pin.type !== 'pin') return response(currentApp ? SW.FILE_NOT_FOUND : SW.COMMAND_NOT_ALLOWED_NO_EF);
    // A status query answers the tries left, even when verified or blocked (63 C0): OpenSC needs 63 Cx (spec §10.6).
    if (apdu.data.length === 0) return response(SW.PIN_TRIES_LEFT | Math.min(pin.triesLeft, 15));
    if (pin.value === null) return response(SW.CONDITIONS_NOT_SATISFIED);
    // Only with data: the status query above keeps answering 63 C0, which OpenSC's bind needs (spec §10.6).
    if (pin.triesLeft === 0) return response(SW.AUTHENTICATION_BLOCKED);
    if (equalSecret(pin.value, apdu.data)) {
      const changed = pin.triesLeft !== pin.maxTries;
      pin.triesLeft = pin.maxTries;
      verified.add(pin);
      if (changed) onMutation?.('pin-counter');
      return response(SW.OK);
    }
    pin.triesLeft -= 1;
    verified.delete(pin);
    onMutation?.('pin-counter');
    return response(SW.PIN_TRIES_LEFT | Math.min(pin.triesLeft, 15));
  }

  function changeReferenceData(apdu: CommandApdu): Uint8Array {
    // P1 01: the data is the new value only, after a successful VERIFY (how jpki/myna changes PINs).
    if (apdu.p1 !== 0x01) return response(SW.WRONG_P1P2);
    const pin = referencedFile(apdu.p2);
    if (!pin || pin.type !== 'pin') return response(currentApp ? SW.FILE_NOT_FOUND : SW.COMMAND_NOT_ALLOWED_NO_EF);
    if (apdu.data.length === 0) return response(SW.WRONG_LENGTH);
    if (pin.rule === 'collationA' || pin.rule === 'collationB') return response(SW.CONDITIONS_NOT_SATISFIED);
    if (!verified.has(pin)) return response(SW.SECURITY_STATUS_NOT_SATISFIED);
    if (!pinValueAllowed(pin.rule, apdu.data)) return response(SW.WRONG_DATA);
    pin.value = Uint8Array.from(apdu.data);
    pin.triesLeft = pin.maxTries;
    onMutation?.('pin-value');
    return response(SW.OK);
  }

  function computeSignature(apdu: CommandApdu): Uint8Array {
    if (apdu.p1 !== 0x00) return response(SW.WRONG_P1P2);
    const key = referencedFile(apdu.p2);
    if (!key || key.type !== 'key') return response(currentApp ? SW.COMMAND_NOT_ALLOWED_NO_EF : SW.COMMAND_NOT_ALLOWED_NO_EF);
    if (apdu.data.length === 0 || apdu.data.length > MAX_SIGNING_INPUT) return response(SW.WRONG_LENGTH);
    if (!key.privateKey) return response(SW.CONDITIONS_NOT_SATISFIED);
    let unlocked = false;
    for (const pin of verified) if (pin.fid === key.usePin) unlocked = true;
    if (!unlocked) return response(SW.SECURITY_STATUS_NOT_SATISFIED);
    // The card pads (PKCS#1 v1.5 type 1) and exponentiates; it does not hash (spec §5.3). Deterministic.
    const signature = privateEncrypt({ key: key.privateKey, padding: constants.RSA_PKCS1_PADDING }, apdu.data);
    return response(SW.OK, signature);
  }

  function dispatch(apdu: CommandApdu): Uint8Array {
    // Secure messaging (CLA bits 3–4) is not offered on these applications.
    if (apdu.cla & 0x0c) return response(0x6882);
    if (apdu.cla === CLA_PROPRIETARY) {
      return apdu.ins === INS.COMPUTE_SIGNATURE ? computeSignature(apdu) : response(SW.INS_NOT_SUPPORTED);
    }
    if (apdu.cla !== CLA_ISO) return response(SW.CLA_NOT_SUPPORTED);
    switch (apdu.ins) {
      case INS.SELECT: return select(apdu);
      case INS.READ_BINARY: return readBinary(apdu);
      case INS.READ_RECORD: return readRecord(apdu);
      case INS.VERIFY: return verify(apdu);
      case INS.CHANGE_REFERENCE_DATA: return changeReferenceData(apdu);
      case INS.GET_CHALLENGE:
        if (apdu.p1 !== 0 || apdu.p2 !== 0) return response(SW.WRONG_P1P2);
        if (apdu.le === undefined || apdu.le > 256 || apdu.data.length > 0) return response(SW.WRONG_LENGTH);
        return response(SW.OK, randomBytes(apdu.le));
      default: return response(SW.INS_NOT_SUPPORTED);
    }
  }

  return {
    image,
    transmit(command) {
      try {
        return dispatch(parseCommandApdu(command));
      } catch (error) {
        if (error instanceof ApduLengthError) return response(SW.WRONG_LENGTH);
        // A card never crashes the reader: an unexpected failure is 6F 00 and nothing is revealed.
        return response(SW.UNKNOWN);
      }
    },
    reset() {
      clearVolatile();
      return image.atr;
    },
    powerOff() {
      clearVolatile();
    },
  };
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** Byte-exact, constant time for equal lengths (no case folding: OpenSC sends the password as typed). */
function equalSecret(expected: Uint8Array, given: Uint8Array): boolean {
  return expected.length === given.length && timingSafeEqual(expected, given);
}
