// What the virtual card's chip holds: applications, their files, PINs with retry counters, and key pairs (the card's EEPROM).
import type { KeyObject } from 'node:crypto';

/** Format rule of a PIN, checked when the resident sets or changes it (spec/card-apdu.md §9). */
export type PinRule =
  /** 4 digits: 利用者証明用, 券面事項入力補助用, 住民基本台帳用, free-area PINs. */
  | 'digits4'
  /** 6–16 characters A–Z and 0–9: 署名用パスワード. */
  | 'alnum6to16'
  /** 照合番号A: the 12-digit individual number. Not changeable. */
  | 'collationA'
  /** 照合番号B: birth YYMMDD + expiry year YYYY + 4-digit security code. Not changeable. */
  | 'collationB';

/** A transparent EF. `readPins`: FIDs of PINs in the same application, any one of which unlocks reading. */
export interface BinaryFile { type: 'binary'; fid: number; data: Uint8Array; readPins?: readonly number[] }
/** A record EF (the 住基AP's). */
export interface RecordFile { type: 'record'; fid: number; records: Uint8Array[]; readPins?: readonly number[] }
/** A PIN (reference data) with its retry counter. `value` null: not set yet (card not yet handed over). */
export interface PinFile { type: 'pin'; fid: number; rule: PinRule; value: Uint8Array | null; maxTries: number; triesLeft: number }
/** A private key EF: usable by COMPUTE DIGITAL SIGNATURE once `usePin` is verified; never readable. */
export interface KeyFile { type: 'key'; fid: number; usePin: number; privateKey: KeyObject | null }

export type CardFile = BinaryFile | RecordFile | PinFile | KeyFile;

/** One application (DF) selected by its AID. */
export interface CardApplication {
  /** Internal name: jpki, kenhojo, kenkaku, juki, or a free-area application's name. */
  name: string;
  aid: Uint8Array;
  files: CardFile[];
  /** Free-area (空き領域) type, for applications a municipality installed. */
  freeAreaType?: FreeAreaType;
}

/** The free-area application types of the 総務省 material (seed 004): A, C, D and 独自. */
export type FreeAreaType = 'A' | 'C' | 'D' | 'custom';

/** Lifecycle of the chip itself: manufactured blank → personalised by J-LIS → handed over with PINs set. */
export type ChipPhase = 'blank' | 'personalised' | 'issued';

/** Everything the chip keeps across power cycles. Volatile state (selection, verified PINs) is not here. */
export interface CardImage {
  atr: Uint8Array;
  phase: ChipPhase;
  applications: CardApplication[];
}

/** Finds an application by name; undefined when absent. */
export function findApplication(image: CardImage, name: string): CardApplication | undefined {
  return image.applications.find((app) => app.name === name);
}

/** Finds a file of an application by FID. */
export function findFile(app: CardApplication, fid: number): CardFile | undefined {
  return app.files.find((file) => file.fid === fid);
}
