// Stores a chip image: public files and counters as JSON, PIN values and private keys sealed (never a plain column).
import { createPrivateKey } from 'node:crypto';
import { seal, unseal, type Sealed } from '../../../kernel/crypto/seal.ts';
import type { CardApplication, CardFile, CardImage, ChipPhase, FreeAreaType, PinRule } from './card-image.ts';

type StoredFile =
  | { type: 'binary'; fid: number; data: string; readPins?: number[] }
  | { type: 'record'; fid: number; records: string[]; readPins?: number[] }
  | { type: 'pin'; fid: number; rule: PinRule; maxTries: number; triesLeft: number; set: boolean }
  | { type: 'key'; fid: number; usePin: number; present: boolean };

/** The public half of an image, as stored (JSON). */
export interface StoredImage {
  atr: string;
  phase: ChipPhase;
  applications: { name: string; aid: string; freeAreaType?: FreeAreaType; files: StoredFile[] }[];
}

/** The secret half before sealing: PIN values and PKCS#8 keys, by `app/fid`. */
interface ImageSecrets {
  pins: Record<string, string>;
  keys: Record<string, string>;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));
const slot = (app: CardApplication, fid: number) => `${app.name}/${fid}`;

/**
 * Splits an image for storage. The secrets are sealed under `key` with the card id as label, so a
 * chip's secrets cannot be moved onto another card's row.
 */
export function encodeCardImage(image: CardImage, key: Uint8Array, cardId: string): { image: StoredImage; secrets: Sealed } {
  const secrets: ImageSecrets = { pins: {}, keys: {} };
  const applications = image.applications.map((app) => ({
    name: app.name,
    aid: Buffer.from(app.aid).toString('hex').toUpperCase(),
    ...(app.freeAreaType ? { freeAreaType: app.freeAreaType } : {}),
    files: app.files.map((file): StoredFile => {
      switch (file.type) {
        case 'binary': return { type: 'binary', fid: file.fid, data: b64(file.data), ...(file.readPins ? { readPins: [...file.readPins] } : {}) };
        case 'record': return { type: 'record', fid: file.fid, records: file.records.map(b64), ...(file.readPins ? { readPins: [...file.readPins] } : {}) };
        case 'pin':
          if (file.value) secrets.pins[slot(app, file.fid)] = b64(file.value);
          return { type: 'pin', fid: file.fid, rule: file.rule, maxTries: file.maxTries, triesLeft: file.triesLeft, set: file.value !== null };
        case 'key':
          if (file.privateKey) secrets.keys[slot(app, file.fid)] = b64(file.privateKey.export({ format: 'der', type: 'pkcs8' }));
          return { type: 'key', fid: file.fid, usePin: file.usePin, present: file.privateKey !== null };
      }
    }),
  }));
  const plain = Buffer.from(JSON.stringify(secrets));
  try {
    return { image: { atr: b64(image.atr), phase: image.phase, applications }, secrets: seal(key, cardId, plain) };
  } finally {
    plain.fill(0);
  }
}

/** Rebuilds an image from its stored halves; throws UnsealError when the secrets do not open. */
export function decodeCardImage(stored: StoredImage, sealedSecrets: Sealed, key: Uint8Array, cardId: string): CardImage {
  const plain = unseal(key, cardId, sealedSecrets);
  const secrets = JSON.parse(plain.toString('utf8')) as ImageSecrets;
  plain.fill(0);
  const applications = stored.applications.map((app): CardApplication => {
    const named = { name: app.name } as CardApplication;
    const files = app.files.map((file): CardFile => {
      switch (file.type) {
        case 'binary': return { type: 'binary', fid: file.fid, data: bytes(file.data), ...(file.readPins ? { readPins: file.readPins } : {}) };
        case 'record': return { type: 'record', fid: file.fid, records: file.records.map(bytes), ...(file.readPins ? { readPins: file.readPins } : {}) };
        case 'pin': {
          const value = secrets.pins[slot(named, file.fid)];
          return { type: 'pin', fid: file.fid, rule: file.rule, maxTries: file.maxTries, triesLeft: file.triesLeft, value: value ? bytes(value) : null };
        }
        case 'key': {
          const der = secrets.keys[slot(named, file.fid)];
          return { type: 'key', fid: file.fid, usePin: file.usePin, privateKey: der ? createPrivateKey({ key: Buffer.from(der, 'base64'), format: 'der', type: 'pkcs8' }) : null };
        }
      }
    });
    return { name: app.name, aid: new Uint8Array(Buffer.from(app.aid, 'hex')), files, ...(app.freeAreaType ? { freeAreaType: app.freeAreaType } : {}) };
  });
  return { atr: bytes(stored.atr), phase: stored.phase, applications };
}
