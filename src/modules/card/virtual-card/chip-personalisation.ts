// The issuer-side commands of the chip (personalisation, PIN setting at hand-over): not reachable by APDU, only by the card producer.
import { generateKeyPair as generateKeyPairCallback } from 'node:crypto';
import { promisify } from 'node:util';
import { findApplication, findFile, type CardApplication, type CardImage, type ChipPhase, type FreeAreaType } from './card-image.ts';
import { FID } from './card-layout.ts';
import { pinValueAllowed } from './pin-rules.ts';

const generateKeyPair = promisify(generateKeyPairCallback);

/** Thrown when the chip refuses an issuer command (wrong phase, unknown file, bad PIN format). */
export class ChipRefusal extends Error {
  constructor(readonly reason: 'phase' | 'file' | 'pin-format', message: string) {
    super(message);
  }
}

function requirePhase(image: CardImage, ...phases: ChipPhase[]): void {
  if (!phases.includes(image.phase)) throw new ChipRefusal('phase', `chip is ${image.phase}, expected ${phases.join(' or ')}`);
}

/**
 * Generates an RSA-2048 key pair inside the chip (the private half stays in the key EF) and
 * returns the public key as DER SubjectPublicKeyInfo, for JPKI to certify. Only on a blank chip.
 */
export async function generateChipKeyPair(image: CardImage, slot: 'auth' | 'sign'): Promise<Uint8Array> {
  requirePhase(image, 'blank');
  return newKeyPair(image, slot);
}

async function newKeyPair(image: CardImage, slot: 'auth' | 'sign'): Promise<Uint8Array> {
  const file = findFile(findApplication(image, 'jpki')!, slot === 'auth' ? FID.jpki.authKey : FID.jpki.signKey);
  if (!file || file.type !== 'key') throw new ChipRefusal('file', `no ${slot} key EF`);
  const { publicKey, privateKey } = await generateKeyPair('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
  file.privateKey = privateKey;
  return new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
}

/** Writes a transparent EF. On a blank chip anything; afterwards only the issuer's updates (券面記載事項変更). */
export function writeChipFile(image: CardImage, appName: string, fid: number, data: Uint8Array): void {
  const app = findApplication(image, appName);
  const file = app && findFile(app, fid);
  if (!file || file.type === 'pin' || file.type === 'key') throw new ChipRefusal('file', `no data EF ${appName}/${fid.toString(16)}`);
  if (file.type === 'binary') file.data = Uint8Array.from(data);
  else file.records = [Uint8Array.from(data)];
}

/**
 * Sets a PIN's value (暗証番号設定 at hand-over, or the collation numbers at personalisation) and
 * resets its counter. Refuses values that break the PIN's format rule.
 */
export function setChipPin(image: CardImage, appName: string, fid: number, value: string): void {
  requirePhase(image, 'blank', 'personalised', 'issued');
  const app = findApplication(image, appName);
  const file = app && findFile(app, fid);
  if (!file || file.type !== 'pin') throw new ChipRefusal('file', `no PIN EF ${appName}/${fid.toString(16)}`);
  if (!pinValueAllowed(file.rule, value)) throw new ChipRefusal('pin-format', `PIN ${appName}/${fid.toString(16)} does not follow its rule`);
  file.value = new Uint8Array(Buffer.from(value, 'latin1'));
  file.triesLeft = file.maxTries;
}

/** Unblocks a PIN with its current value kept (初期化 at the counter is setChipPin; this is the counter reset of a lock). */
export function resetChipPinCounter(image: CardImage, appName: string, fid: number): void {
  const app = findApplication(image, appName);
  const file = app && findFile(app, fid);
  if (!file || file.type !== 'pin') throw new ChipRefusal('file', `no PIN EF ${appName}/${fid.toString(16)}`);
  file.triesLeft = file.maxTries;
}

/** Moves the chip on: blank → personalised (production done) → issued (handed over with PINs set). */
export function advanceChipPhase(image: CardImage, to: 'personalised' | 'issued'): void {
  requirePhase(image, to === 'personalised' ? 'blank' : 'personalised');
  image.phase = to;
}

/**
 * Replaces a key pair on an issued chip (the signing key when its certificate is reissued at the
 * counter): the old private key is gone for good.
 */
export async function regenerateChipKeyPair(image: CardImage, slot: 'auth' | 'sign'): Promise<Uint8Array> {
  requirePhase(image, 'personalised', 'issued');
  return newKeyPair(image, slot);
}

/** What a municipality installs in the chip's free area (空き領域): its own AID, one data EF, an optional 4-digit PIN. */
export interface FreeAreaApplication {
  name: string;
  aid: Uint8Array;
  type: FreeAreaType;
  /** EF 0001's content (e.g. a library card number), ≤ 4 KB. */
  data: Uint8Array;
  /** EF 0011: guards EF 0001 when set (types A, D and 独自; type C has none). */
  pin?: string;
}

/** The free area's size on this chip: what all installed applications' data may take together. */
export const FREE_AREA_BYTES = 8 * 1024;

/**
 * Installs a free-area application on an issued chip: SELECT by its AID, then EF 0001 (data) and,
 * when it has one, EF 0011 (its PIN, 3 tries). An AID already on the chip is replaced only for the
 * same application name.
 */
export function installFreeAreaApplication(image: CardImage, app: FreeAreaApplication): void {
  requirePhase(image, 'issued');
  if (app.aid.length < 5 || app.aid.length > 16) throw new ChipRefusal('file', 'AID must be 5–16 bytes');
  if (app.type === 'C' && app.pin !== undefined) throw new ChipRefusal('pin-format', 'type C has no PIN');
  if (app.pin !== undefined && !pinValueAllowed('digits4', app.pin)) throw new ChipRefusal('pin-format', 'free-area PIN must be 4 digits');
  const clash = image.applications.find((a) => Buffer.from(a.aid).equals(Buffer.from(app.aid)));
  if (clash && (clash.freeAreaType === undefined || clash.name !== app.name)) throw new ChipRefusal('file', 'AID in use');
  const others = image.applications.filter((a) => a.freeAreaType !== undefined && a.name !== app.name);
  const used = others.reduce((sum, a) => sum + a.files.reduce((s, f) => s + (f.type === 'binary' ? f.data.length : 0), 0), 0);
  if (used + app.data.length > FREE_AREA_BYTES) throw new ChipRefusal('file', 'free area full');
  const files: CardApplication['files'] = [{ type: 'binary', fid: 0x0001, data: Uint8Array.from(app.data), ...(app.pin ? { readPins: [0x0011] } : {}) }];
  if (app.pin) files.push({ type: 'pin', fid: 0x0011, rule: 'digits4', value: new Uint8Array(Buffer.from(app.pin, 'latin1')), maxTries: 3, triesLeft: 3 });
  image.applications = [...image.applications.filter((a) => a !== clash), { name: app.name, aid: Uint8Array.from(app.aid), files, freeAreaType: app.type }];
}
