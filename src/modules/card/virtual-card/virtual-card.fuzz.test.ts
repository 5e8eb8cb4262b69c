// Fuzzes the APDU engine with 1,000,000 seeded random and mutated commands: it never throws, never leaks keys or PINs, and only VERIFY moves a PIN counter.
//
// Replay a failure with the seed it prints: `FUZZ_SEED=<seed> node --import tsx --test <this file>`.
// FUZZ_APDUS changes the count (default 1,000,000).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createHash, createPublicKey, generateKeyPairSync, publicDecrypt, randomInt, webcrypto, type KeyObject } from 'node:crypto';
import { buildCaCertificate, buildSigningCertificate, buildUserAuthCertificate } from '../../jpki/index.ts';
import { createVirtualCard, type CardMutation, type VirtualCard } from './virtual-card.ts';
import { AID, blankCardImage, CARD_ATR, FID } from './card-layout.ts';
import { advanceChipPhase, generateChipKeyPair, resetChipPinCounter, setChipPin } from './chip-personalisation.ts';
import { parseCommandApdu, type CommandApdu } from './command-apdu.ts';
import { findApplication, findFile, type BinaryFile, type CardApplication, type CardImage, type KeyFile, type PinFile, type RecordFile } from './card-image.ts';
import { writeJpkiFiles, writeJukiFiles, writeKenhojoFiles, writeKenkakuFiles, type ChipContents } from '../card-files.ts';
import { syntheticPortrait } from '../card-face-images.ts';
import type { IssuerKey } from '../issuer-key.ts';
import { apCertificateFile } from './kenhojo-files.ts';
import { seededRandom, type SeededRandom } from '../../../../test/support/seeded-random.ts';

const APDUS = Number(process.env['FUZZ_APDUS'] ?? 1_000_000);
const SEED = process.env['FUZZ_SEED'] ? Number(process.env['FUZZ_SEED']) >>> 0 : randomInt(0, 2 ** 32);
/** Leaks are looked for as runs of this many bytes: long enough that random data never matches by chance. */
const WINDOW = 16;

// ---------------------------------------------------------------------------------------------
// Seeded randomness (test/support/seeded-random.ts): the same seed gives the same APDUs, so a failure replays exactly.
type Random = SeededRandom;

// ---------------------------------------------------------------------------------------------
// The card under test: an issued chip with real RSA keys, real JPKI certificates, the Kenhojo,
// Kenkaku and Juki files as production writes them, and all PINs set.

const PINS = { auth: '4711', sign: 'SIGNPASSWORD2026', kenhojo: '2580', juki: '1357' } as const;
const INDIVIDUAL_NUMBER = '123456789018';

interface Fixture {
  /** A new copy of the issued image (counters at their maximum, the initial PIN values). */
  freshImage(): CardImage;
  /** The chip's key EFs with their public halves, to check what a signature was made with. */
  keys: { fid: number; usePin: number; publicKey: KeyObject }[];
  /** What must never leave the card. */
  secrets: SecretScanner;
  /** The raw private exponent of the auth key (for the sabotaged cards that leak it). */
  authD: Uint8Array;
}

async function issuedFixture(): Promise<Fixture> {
  const rsa = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' } as const;
  const caKeys = await webcrypto.subtle.generateKey(rsa, false, ['sign', 'verify']) as webcrypto.CryptoKeyPair;
  const notBefore = new Date('2026-01-01T00:00:00Z');
  const notAfter = new Date('2035-12-31T14:59:59Z');
  const authCa = await buildCaCertificate({ kind: 'auth', keys: caKeys, serialNumber: Uint8Array.of(1), notBefore, notAfter });
  const signCa = await buildCaCertificate({ kind: 'sign', keys: caKeys, serialNumber: Uint8Array.of(2), notBefore, notAfter });

  const image = blankCardImage();
  const [authSpki, signSpki] = await Promise.all([generateChipKeyPair(image, 'auth'), generateChipKeyPair(image, 'sign')]);
  const attributes = { name: '三鷹　花子', address: '東京都三鷹市野崎一丁目1番1号', birthDate: '1990-01-02', sex: 'female' as const };
  const userValidity = { notBefore, notAfter: new Date('2031-01-02T14:59:59Z') };
  const authCertificate = await buildUserAuthCertificate({
    issuer: { certificate: authCa, privateKey: caKeys.privateKey }, subjectPublicKeyInfo: authSpki,
    serialNumber: Uint8Array.of(0x12, 0x34), ...userValidity, commonName: '8439ABCDEF0123456789',
  });
  const signCertificate = await buildSigningCertificate({
    issuer: { certificate: signCa, privateKey: caKeys.privateKey }, subjectPublicKeyInfo: signSpki,
    serialNumber: Uint8Array.of(0x56, 0x78), ...userValidity,
    subject: { prefectureRomaji: 'Tokyo-to', municipalityRomaji: 'Mitaka-shi', requestTime: notBefore, sequence: 1, windowCode: '13204A001' },
    attributes: { ...attributes, nameSubstitute: '', addressSubstitute: '' },
    crl: { prefecture: '東京都', municipality: '三鷹市' },
  });
  const issuerPair = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
  const issuerSpki = new Uint8Array(issuerPair.publicKey.export({ format: 'der', type: 'spki' }));
  const keyId = new Uint8Array(createHash('sha256').update(issuerSpki).digest().subarray(0, 16));
  const issuer: IssuerKey = {
    privateKey: issuerPair.privateKey, publicKey: issuerPair.publicKey, spki: issuerSpki, keyId,
    apCertificate: apCertificateFile(issuerPair.publicKey, keyId, keyId, issuerPair.privateKey),
  };
  const contents: ChipContents = {
    attributes, individualNumber: INDIVIDUAL_NUMBER, residentCode: '12345678901', serial: 'MN01234567890',
    expiresOn: '2031-01-02', securityCode: '4321', municipalityName: '三鷹市', photo: syntheticPortrait('fuzz'),
    authCertificate, signCertificate,
    authCaCertificate: new Uint8Array(authCa.rawData), signCaCertificate: new Uint8Array(signCa.rawData),
  };
  writeJpkiFiles(image, contents);
  writeKenhojoFiles(image, contents, issuer);
  writeKenkakuFiles(image, contents, issuer);
  writeJukiFiles(image, contents);
  advanceChipPhase(image, 'personalised');
  setChipPin(image, 'jpki', FID.jpki.authPin, PINS.auth);
  setChipPin(image, 'jpki', FID.jpki.signPin, PINS.sign);
  setChipPin(image, 'kenhojo', FID.kenhojo.pin, PINS.kenhojo);
  setChipPin(image, 'juki', FID.juki.pin, PINS.juki);
  advanceChipPhase(image, 'issued');

  const keyFiles = findApplication(image, 'jpki')!.files.filter((f): f is KeyFile => f.type === 'key');
  const secrets = new SecretScanner();
  for (const file of keyFiles) {
    const privateKey = file.privateKey!;
    const publicKey = createPublicKey(privateKey);
    const jwk = privateKey.export({ format: 'jwk' });
    const pkcs8 = new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' }));
    const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
    const n = Buffer.from(jwk.n!, 'base64url');
    // The modulus and exponent are public (they are in the certificates): windows that lie wholly in
    // the public key are no secret, every other window of the private key encoding is.
    secrets.exclude([spki, n, Uint8Array.from(n).reverse()]);
    secrets.add(pkcs8);
    secrets.add(ascii(Buffer.from(pkcs8).toString('base64')));
    // The private parts on their own, in the encodings a careless card could emit them: big-endian
    // (as in the DER), little-endian, and as the JWK's base64url text.
    for (const part of [jwk.d!, jwk.p!, jwk.q!, jwk.dp!, jwk.dq!, jwk.qi!]) {
      const raw = new Uint8Array(Buffer.from(part, 'base64url'));
      secrets.add(raw);
      secrets.add(Uint8Array.from(raw).reverse());
      secrets.add(ascii(part));
    }
  }
  // PINs: the signing password is 16 characters, so a leak of it is one window. The 4-digit PINs
  // are too short to search for in arbitrary data; the data-origin check covers them (a response
  // carries data only from a data EF, a signature or GET CHALLENGE). The collation numbers are
  // printed on the card face and stored in its data EFs (照合番号A is the individual number), so they
  // are no secret of the chip.
  secrets.add(ascii(PINS.sign));

  // Nothing the image may hand out contains a secret: the scanner's excludes are right, and a hit
  // during the fuzz can only be a leak.
  for (const app of image.applications) {
    for (const file of app.files) {
      const contents = file.type === 'binary' ? [file.data] : file.type === 'record' ? file.records : [];
      for (const data of contents) assert.equal(secrets.find(data), -1, `${app.name}/${file.fid} holds secret bytes`);
    }
  }
  const authKey = keyFiles.find((f) => f.fid === FID.jpki.authKey)!;
  return {
    freshImage: () => cloneImage(image),
    keys: keyFiles.map((f) => ({ fid: f.fid, usePin: f.usePin, publicKey: createPublicKey(f.privateKey!) })),
    secrets,
    authD: new Uint8Array(Buffer.from(authKey.privateKey!.export({ format: 'jwk' }).d!, 'base64url')),
  };
}

/** A copy whose PIN counters and values are its own; file data and keys are shared (the engine never writes them). */
function cloneImage(image: CardImage): CardImage {
  return { atr: image.atr, phase: image.phase, applications: image.applications.map((app) => ({ ...app, files: app.files.map((file) => ({ ...file })) })) };
}

const ascii = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();

// ---------------------------------------------------------------------------------------------
// Secret search: every WINDOW-byte run of the secrets, found in a response by a rolling 32-bit
// prefix checked against a bit table first, so a clean response costs a few operations a byte.

/** 4 Mi one-byte slots: with ~10,000 windows, a clean position hits an occupied slot 0.25 % of the time. */
const TABLE_BITS = 22;

class SecretScanner {
  private readonly table = new Uint8Array(1 << TABLE_BITS);
  private readonly windows = new Map<number, Uint8Array[]>();
  private readonly excluded = new Set<string>();

  /** Windows that also occur in these public values are not searched for. */
  exclude(publicValues: readonly Uint8Array[]): void {
    for (const value of publicValues) {
      for (let i = 0; i + WINDOW <= value.length; i++) this.excluded.add(hex(value.subarray(i, i + WINDOW)));
    }
  }

  add(secret: Uint8Array): void {
    for (let i = 0; i + WINDOW <= secret.length; i++) {
      const window = secret.subarray(i, i + WINDOW);
      if (this.excluded.has(hex(window))) continue;
      const prefix = prefixOf(window, 0);
      this.table[slot(prefix)] = 1;
      const list = this.windows.get(prefix);
      if (list) list.push(window);
      else this.windows.set(prefix, [window]);
    }
  }

  /** Offset of the first secret window in `data`, or -1. */
  find(data: Uint8Array): number {
    if (data.length < WINDOW) return -1;
    let prefix = prefixOf(data, 0);
    for (let i = 0; ; i++) {
      if (this.table[slot(prefix)] === 1) {
        for (const window of this.windows.get(prefix) ?? []) if (equalAt(data, i, window)) return i;
      }
      if (i + WINDOW >= data.length) return -1;
      prefix = ((prefix << 8) | data[i + 4]!) >>> 0;
    }
  }
}

function prefixOf(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

function slot(prefix: number): number {
  return Math.imul(prefix, 0x9e3779b1) >>> (32 - TABLE_BITS);
}

function equalAt(data: Uint8Array, at: number, window: Uint8Array): boolean {
  for (let j = 0; j < window.length; j++) if (data[at + j] !== window[j]) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Command generation: the readers' vocabulary (spec §3, §11), mutated, plus plain noise.

const FOREIGN_AIDS = [
  '62 76 01 FF 00 00 00', 'A0 00 00 00 01 01', 'E8 2B 06 01 04 01 81 C3 1F 02 01 00', 'D2 33 00 00 00 45 73 74 45 49 44 20 76 33 35',
  'A0 00 00 03 08 00 00 10 00 00', 'A0 00 00 01 16 DB 00', 'A0 00 00 00 79 10 00', 'A0 00 00 00 79 01 0F 00',
  'F2 76 A2 88 BC FB A6 9D 34 F3 10 01', 'A0 00 00 03 97 42 54 46 59 00', 'D2 76 00 01 24 01 00', 'D3 92 10 00 31 00 01 01 04 01',
].map((h) => new Uint8Array(Buffer.from(h.replaceAll(' ', ''), 'hex')));
const OWN_AIDS: readonly Uint8Array[] = Object.values(AID);
const APP_NAMES = ['jpki', 'kenhojo', 'kenkaku', 'juki'] as const;
const KNOWN_INS = new Set([0xa4, 0xb0, 0xb2, 0x20, 0x24, 0x84, 0x2a]);
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** ISO 7816-4 encoding, short or extended. `le` 1…256 (short) or 1…65536 (extended). */
function encode(cla: number, ins: number, p1: number, p2: number, data: Uint8Array | undefined, le: number | undefined, extended = false): Uint8Array {
  const parts: number[] = [cla, ins, p1, p2];
  const hasData = data !== undefined && data.length > 0;
  if (extended) {
    if (hasData) parts.push(0, data.length >> 8, data.length & 0xff, ...data);
    if (le !== undefined) {
      if (!hasData) parts.push(0);
      parts.push((le >> 8) & 0xff, le & 0xff);
    }
  } else {
    if (hasData) parts.push(data.length, ...data);
    if (le !== undefined) parts.push(le & 0xff);
  }
  return Uint8Array.from(parts);
}

/** One PIN EF of the image, with the application it lives in. */
interface PinRef { app: CardApplication; pin: PinFile }

class CommandGenerator {
  private readonly fids: number[];
  private readonly pins: PinRef[];
  private readonly queue: Uint8Array[] = [];

  constructor(private readonly random: Random, private readonly image: CardImage) {
    this.fids = [...new Set(image.applications.flatMap((app) => app.files.map((f) => f.fid))), 0x0000, 0x0009, 0x0010, 0x001f, 0x2f00, 0x3f00, 0xffff];
    this.pins = image.applications.flatMap((app) => app.files.filter((f): f is PinFile => f.type === 'pin').map((pin) => ({ app, pin })));
  }

  next(): Uint8Array {
    const r = this.random;
    if (this.queue.length > 0) return this.queue.shift()!;
    // Whole reader flows now and then, so the fuzz also runs from the deep states (PIN verified,
    // protected EF current, key EF selected) that random walks reach only rarely.
    if (r.chance(0.006)) this.queueReadFlow();
    else if (r.chance(0.0008)) this.queueSignFlow();
    if (this.queue.length > 0) return this.queue.shift()!;
    if (r.chance(0.25)) return this.noise();
    const command = this.vocabulary();
    return r.chance(0.5) ? this.mutate(command) : command;
  }

  private noise(): Uint8Array {
    const r = this.random;
    const bytes = r.bytes(r.int(301));
    // A third keep a plausible header, so the noise reaches the instruction handlers' parsing.
    if (bytes.length >= 4 && r.chance(0.33)) {
      bytes[0] = r.pick([0x00, 0x80]);
      bytes[1] = r.pick([...KNOWN_INS]);
    }
    return bytes;
  }

  private vocabulary(): Uint8Array {
    const r = this.random;
    const roll = r.int(100);
    if (roll < 12) return this.selectAid();
    if (roll < 30) return this.selectEf(r.pick(this.fids));
    if (roll < 52) return this.readBinary(r.pick(this.fids));
    if (roll < 67) return this.verify(r.pick(this.pins), r.int(3) === 0 ? 'status' : r.chance(0.5) ? 'right' : 'wrong');
    if (roll < 72) return this.changeReferenceData(r.pick(this.pins));
    if (roll < 75) return this.sign(r.pick([0x80, 0x97, 0x9a, 0x80 | r.int(32)]));
    if (roll < 81) return this.readRecord();
    if (roll < 87) return this.getChallenge();
    if (roll < 93) return encode(r.pick([0x00, 0x80]), r.u32() & 0xff, r.u32() & 0xff, r.u32() & 0xff, r.chance(0.5) ? r.bytes(1 + r.int(20)) : undefined, r.chance(0.5) ? 1 + r.int(256) : undefined);
    // The same commands re-encoded with extended lengths.
    const command = this.vocabulary();
    try {
      const parsed = parseCommandApdu(command);
      return encode(parsed.cla, parsed.ins, parsed.p1, parsed.p2, parsed.data, parsed.le, true);
    } catch {
      return command;
    }
  }

  private selectAid(aid?: Uint8Array): Uint8Array {
    const r = this.random;
    let data = aid;
    if (!data) {
      const roll = r.int(100);
      if (roll < 55) data = r.pick(OWN_AIDS);
      else if (roll < 70) data = r.pick(FOREIGN_AIDS);
      else if (roll < 90) {
        // Near misses: a prefix, an AID with a byte changed or one byte more.
        const own = Uint8Array.from(r.pick(OWN_AIDS));
        const how = r.int(3);
        if (how === 0) data = own.subarray(0, 1 + r.int(own.length - 1));
        else if (how === 1) { const at = r.int(own.length); own[at] = own[at]! ^ (1 + r.int(255)); data = own; }
        else data = Uint8Array.from([...own, r.u32() & 0xff]);
      } else data = r.bytes(1 + r.int(16));
    }
    const p2 = r.chance(0.85) ? 0x0c : r.chance(0.8) ? 0x00 : r.u32() & 0xff;
    return encode(0x00, 0xa4, 0x04, p2, data, p2 === 0x00 && r.chance(0.5) ? 256 : undefined);
  }

  private selectEf(fid: number): Uint8Array {
    return encode(0x00, 0xa4, 0x02, this.random.chance(0.9) ? 0x0c : 0x00, Uint8Array.of(fid >> 8, fid & 0xff), undefined);
  }

  private readBinary(fid: number): Uint8Array {
    const r = this.random;
    const extended = r.chance(0.25);
    const le = extended ? r.pick([65536, 65536, 1 + r.int(5000)]) : r.pick([4, 7, 17, 32, 256, 256, 1 + r.int(256)]);
    if (r.chance(0.35)) return encode(0x00, 0xb0, 0x80 | (fid & 0x1f), r.chance(0.6) ? 0 : r.int(256), undefined, le, extended);
    const offset = r.pick([0, 0, 0, 3, 4, 7, 256, 512, 768, r.int(2048), r.int(0x8000)]);
    return encode(0x00, 0xb0, (offset >> 8) & 0x7f, offset & 0xff, undefined, le, extended);
  }

  private verify({ pin }: PinRef, kind: 'status' | 'right' | 'wrong'): Uint8Array {
    const r = this.random;
    const p2 = r.chance(0.5) ? 0x80 : 0x80 | pin.fid;
    if (kind === 'status') return encode(0x00, 0x20, 0x00, p2, undefined, undefined);
    const value = kind === 'right' && pin.value ? pin.value : this.pinLike(pin, false);
    return encode(0x00, 0x20, 0x00, p2, value, undefined);
  }

  private changeReferenceData({ pin }: PinRef): Uint8Array {
    const r = this.random;
    const p2 = r.chance(0.5) ? 0x80 : 0x80 | pin.fid;
    return encode(0x00, 0x24, 0x01, p2, r.chance(0.7) ? this.pinLike(pin, true) : r.bytes(1 + r.int(20)), undefined);
  }

  /** A value in the PIN's format (the signing password always 16 characters when `valid`, so it stays one searchable window). */
  private pinLike(pin: PinFile, valid: boolean): Uint8Array {
    const r = this.random;
    const digits = (n: number) => ascii(Array.from({ length: n }, () => String(r.int(10))).join(''));
    switch (pin.rule) {
      case 'digits4': return digits(4);
      case 'collationA': return digits(12);
      case 'collationB': return digits(14);
      case 'alnum6to16': {
        const length = valid ? 16 : 6 + r.int(11);
        return ascii(Array.from({ length }, () => r.pick([...UPPER_ALNUM])).join(''));
      }
    }
  }

  private sign(p2: number): Uint8Array {
    const r = this.random;
    const length = r.pick([0x33, 0x33, 0x23, 1 + r.int(245), 1 + r.int(245), 0, 246 + r.int(10)]);
    return encode(0x80, 0x2a, 0x00, p2, r.bytes(length), 256, r.chance(0.1));
  }

  private readRecord(): Uint8Array {
    const r = this.random;
    return encode(0x00, 0xb2, r.pick([1, 1, 1, 0, 2, r.u32() & 0xff]), r.pick([0x0c, 0x0c, 0x04, 0x14, r.u32() & 0xff]), undefined, r.chance(0.7) ? 256 : 1 + r.int(256));
  }

  private getChallenge(): Uint8Array {
    const r = this.random;
    if (r.chance(0.1)) return encode(0x00, 0x84, 0x00, 0x00, undefined, 1 + r.int(300), true);
    return encode(0x00, 0x84, 0x00, 0x00, undefined, r.pick([8, 16, 32, 256, 1 + r.int(256)]));
  }

  /** SELECT AP, SELECT PIN EF, VERIFY (mostly right), then reads of the EFs that PIN opens, as readers do. */
  private queueReadFlow(): void {
    const r = this.random;
    const ref = r.pick(this.pins);
    const readable = ref.app.files.filter((f) => (f.type === 'binary' || f.type === 'record') && (!f.readPins || f.readPins.includes(ref.pin.fid)));
    this.queue.push(this.selectAid(ref.app.aid), this.selectEf(ref.pin.fid), this.verify(ref, r.chance(0.85) ? 'right' : 'wrong'));
    for (let i = 1 + r.int(3); i > 0 && readable.length > 0; i--) {
      const file = r.pick(readable);
      this.queue.push(this.selectEf(file.fid), file.type === 'record' ? encode(0x00, 0xb2, 0x01, 0x04, undefined, 256) : this.readBinary(file.fid));
    }
  }

  /** OpenSC's signing flow: SELECT AP, SELECT PIN EF, VERIFY, SELECT key EF, 80 2A. */
  private queueSignFlow(): void {
    const r = this.random;
    const jpki = this.image.applications.find((a) => a.name === 'jpki')!;
    const key = r.pick(jpki.files.filter((f): f is KeyFile => f.type === 'key'));
    const ref = this.pins.find((p) => p.app === jpki && p.pin.fid === key.usePin)!;
    this.queue.push(this.selectAid(jpki.aid), this.selectEf(ref.pin.fid), this.verify(ref, 'right'), this.selectEf(key.fid), this.sign(0x80));
  }

  /** Bit flips, truncation, wrong Lc or Le, extra bytes, random header bytes: one to three of them. */
  private mutate(command: Uint8Array): Uint8Array {
    const r = this.random;
    let bytes = Uint8Array.from(command);
    const count = 1 + (r.chance(0.3) ? 1 : 0) + (r.chance(0.1) ? 1 : 0);
    for (let i = 0; i < count; i++) {
      switch (r.int(7)) {
        case 0: // bit flips
          for (let k = bytes.length > 0 ? 1 + r.int(3) : 0; k > 0; k--) {
            const at = r.int(bytes.length);
            bytes[at] = bytes[at]! ^ (1 << r.int(8));
          }
          break;
        case 1: // truncation
          bytes = bytes.subarray(0, r.int(bytes.length + 1));
          break;
        case 2: // wrong Lc (or Le of a case-2 command)
          if (bytes.length > 4) bytes[4] = r.chance(0.5) ? (bytes[4]! + r.pick([-1, 1, 2])) & 0xff : r.u32() & 0xff;
          break;
        case 3: { // wrong, missing or extra Le
          const how = r.int(3);
          if (how === 0 && bytes.length > 4) bytes[bytes.length - 1] = r.u32() & 0xff;
          else if (how === 1 && bytes.length > 4) bytes = bytes.subarray(0, bytes.length - 1);
          else bytes = Uint8Array.from([...bytes, r.u32() & 0xff]);
          break;
        }
        case 4: // extra bytes
          bytes = Uint8Array.from([...bytes, ...r.bytes(1 + r.int(4))]);
          break;
        default: { // random CLA, INS, P1 or P2
          const at = r.int(4);
          if (bytes.length > at) bytes[at] = at === 0 && r.chance(0.5) ? r.pick([0x00, 0x80, 0x0c, 0x84, 0x01, 0x10]) : r.u32() & 0xff;
        }
      }
    }
    return bytes;
  }
}

// ---------------------------------------------------------------------------------------------
// The fuzz loop and its oracles.

class FuzzFailure extends Error {}

interface FuzzOptions {
  seed: number;
  apdus: number;
  fixture: Fixture;
  /** The image to run on (default: a fresh one). */
  image?: CardImage;
  /** Builds the card under test (default: the engine); a sabotaged card proves the oracles bite. */
  makeCard?: (image: CardImage, onMutation: (what: CardMutation) => void) => VirtualCard;
  /** Counters are put back to their maximum this often (an issuer action, outside the checks) so PINs do not all stay blocked; 0 = never. */
  restoreEvery?: number;
}

interface FuzzStats {
  statuses: Map<number, number>;
  selectedApps: Set<string>;
  rightVerifies: number;
  wrongVerifies: number;
  blockedAnswers: number;
  pinChanges: number;
  protectedReads: number;
  signatures: number;
  challenges: number;
  resets: number;
  ms: number;
}

/** Runs `apdus` commands and checks every response; throws FuzzFailure with the seed and the last commands on the first violation. */
function fuzz(options: FuzzOptions): FuzzStats {
  const { seed, fixture } = options;
  const random = seededRandom(seed);
  const image = options.image ?? fixture.freshImage();
  const reports: CardMutation[] = [];
  const onMutation = (what: CardMutation) => { reports.push(what); };
  const card = (options.makeCard ?? createVirtualCard)(image, onMutation);
  const generator = new CommandGenerator(random, image);
  const pinRefs: PinRef[] = image.applications.flatMap((app) => app.files.filter((f): f is PinFile => f.type === 'pin').map((pin) => ({ app, pin })));
  const pins = pinRefs.map((ref) => ref.pin);
  const triesBefore = new Int32Array(pins.length);
  const valuesBefore: (Uint8Array | null)[] = pins.map((p) => p.value);
  const restoreEvery = options.restoreEvery ?? 5000;
  const stats: FuzzStats = {
    statuses: new Map(), selectedApps: new Set(), rightVerifies: 0, wrongVerifies: 0, blockedAnswers: 0, pinChanges: 0,
    protectedReads: 0, signatures: 0, challenges: 0, resets: 0, ms: 0,
  };
  // A model of the session that is never narrower than the card's: the selected AP, and the PINs a
  // right VERIFY opened since then. Data of a protected EF, or a signature, needs one of them.
  let app: CardApplication | undefined;
  const verified = new Set<PinFile>();
  const history: string[] = [];
  let index = 0;
  const mayReadNow = (file: { readPins?: readonly number[] }) =>
    !file.readPins || file.readPins.length === 0 || file.readPins.some((fid) => [...verified].some((pin) => pin.fid === fid));

  const fail = (reason: string, command?: Uint8Array, response?: Uint8Array): never => {
    const last = history.slice(-12).join('\n  ');
    throw new FuzzFailure(
      `${reason}\n  seed ${seed}, APDU #${index}` +
      (command ? `\n  > ${hex(command)}` : '') + (response ? `\n  < ${hex(response)}` : '') +
      `\n  before it:\n  ${last}\n  replay: FUZZ_SEED=${seed} node --import tsx --test src/modules/card/virtual-card/virtual-card.fuzz.test.ts`,
    );
  };

  const started = performance.now();
  for (index = 0; index < options.apdus; index++) {
    if (random.chance(0.002)) {
      // Warm reset or power off between commands: the session is gone, the counters stay.
      if (random.chance(0.5)) {
        const atr = card.reset();
        if (hex(atr) !== hex(CARD_ATR)) fail(`reset answered ATR ${hex(atr)}`);
      } else card.powerOff();
      app = undefined;
      verified.clear();
      stats.resets++;
      history.push('(reset)');
    }
    if (restoreEvery > 0 && index % restoreEvery === 0) {
      for (const ref of pinRefs) if (ref.pin.triesLeft !== ref.pin.maxTries) resetChipPinCounter(image, ref.app.name, ref.pin.fid);
    }

    const command = generator.next();
    for (let k = 0; k < pins.length; k++) {
      triesBefore[k] = pins[k]!.triesLeft;
      valuesBefore[k] = pins[k]!.value;
    }
    reports.length = 0;
    let parsed: CommandApdu | undefined;
    try {
      parsed = parseCommandApdu(command);
    } catch {
      parsed = undefined;
    }

    let response: Uint8Array;
    try {
      response = card.transmit(command);
    } catch (error) {
      return fail(`transmit threw: ${error instanceof Error ? error.stack : String(error)}`, command);
    }
    if (!(response instanceof Uint8Array) || response.length < 2) return fail(`response of ${response?.length} bytes (at least SW1 SW2 expected)`, command, response);
    if (history.length >= 64) history.splice(0, 32);
    history.push(`> ${hex(command)}  < ${response.length > 34 ? `${hex(response.subarray(0, 16))}…(${response.length - 2} bytes) ${hex(response.subarray(-2))}` : hex(response)}`);
    const sw = (response[response.length - 2]! << 8) | response[response.length - 1]!;
    stats.statuses.set(sw, (stats.statuses.get(sw) ?? 0) + 1);
    const dataLength = response.length - 2;

    // A hidden exception in the engine surfaces as 6F 00: never expected for any input.
    if (sw === 0x6f00) fail('6F 00: the engine hit an internal error', command, response);
    if (!parsed && sw !== 0x6700) fail('a malformed APDU must be answered 67 00', command, response);

    // Nothing that leaves the card contains key material or the signing password.
    if (dataLength >= WINDOW) {
      const at = fixture.secrets.find(response);
      if (at >= 0) fail(`response carries secret bytes at offset ${at}`, command, response);
    }

    const isSelectByName = parsed !== undefined && parsed.cla === 0x00 && parsed.ins === 0xa4 && parsed.p1 === 0x04;
    if (isSelectByName && sw === 0x9000) {
      const selected = image.applications.find((a) => equalBytes(a.aid, parsed!.data));
      if (!selected || !OWN_AIDS.some((aid) => equalBytes(aid, parsed!.data))) fail('90 00 to the SELECT of a foreign AID', command, response);
    }
    if (command.length >= 3 && command[1] === 0xa4 && command[2] === 0x04 && sw === 0x9000 && !isSelectByName) fail('90 00 to a SELECT by name that is no valid command', command, response);

    // Data comes only from the commands that return data, with 90 00, and from where it may.
    if (dataLength > 0) {
      if (sw !== 0x9000 || !parsed) fail('data with a status other than 90 00', command, response);
      const data = response.subarray(0, dataLength);
      const p = parsed!;
      if (p.cla === 0x00 && p.ins === 0xb0) {
        const offset = p.p1 & 0x80 ? p.p2 : (p.p1 << 8) | p.p2;
        if (dataLength > (p.le ?? 0)) fail('READ BINARY returned more than Le', command, response);
        // Short data may match several EFs: it passes when one of them may be read now.
        const candidates = (app?.files ?? []).filter((f): f is BinaryFile => f.type === 'binary' && f.data.length >= offset + dataLength && equalBytes(f.data.subarray(offset, offset + dataLength), data));
        if (candidates.length === 0) fail('READ BINARY data is no slice of a data EF of the selected AP at that offset', command, response);
        if (!candidates.some((f) => mayReadNow(f))) fail(`EF ${candidates.map((f) => f.fid).join('/')} read without any of its PINs verified`, command, response);
        if (candidates.every((f) => f.readPins && f.readPins.length > 0)) stats.protectedReads++;
      } else if (p.cla === 0x00 && p.ins === 0xb2) {
        const candidates = (app?.files ?? []).filter((f): f is RecordFile => f.type === 'record' && f.records.some((rec) => rec.length >= dataLength && equalBytes(rec.subarray(0, dataLength), data)));
        if (candidates.length === 0) fail('READ RECORD data is no record of the selected AP', command, response);
        if (!candidates.some((f) => mayReadNow(f))) fail('record read without its PIN', command, response);
      } else if (p.cla === 0x00 && p.ins === 0x84) {
        if (dataLength !== p.le) fail(`GET CHALLENGE returned ${dataLength} bytes for Le ${p.le}`, command, response);
        stats.challenges++;
      } else if (p.cla === 0x80 && p.ins === 0x2a) {
        if (dataLength !== 256) fail('a signature of other than 256 bytes', command, response);
        const key = fixture.keys.find((k) => {
          try {
            return equalBytes(new Uint8Array(publicDecrypt({ key: k.publicKey, padding: constants.RSA_PKCS1_PADDING }, data)), p.data);
          } catch {
            return false;
          }
        });
        if (!key) fail('the signature is no PKCS#1 v1.5 signature of the command data by a chip key', command, response);
        if (app?.name !== 'jpki' || ![...verified].some((pin) => pin.fid === key!.usePin)) fail(`signed with key ${key!.fid} without PIN ${key!.usePin} verified`, command, response);
        stats.signatures++;
      } else {
        fail('data from a command that returns none', command, response);
      }
    }

    // PIN counters and values: only VERIFY with data moves a counter (down by one on a wrong PIN, up
    // to the maximum on the right one), only a successful CHANGE REFERENCE DATA writes a value; a
    // blocked counter never moves; every change is reported for persistence.
    const isVerifyWithData = parsed !== undefined && parsed.cla === 0x00 && parsed.ins === 0x20 && parsed.data.length > 0;
    const isChange = parsed !== undefined && parsed.cla === 0x00 && parsed.ins === 0x24 && sw === 0x9000;
    let moved = 0;
    for (let k = 0; k < pins.length; k++) {
      const pin = pins[k]!;
      const before = triesBefore[k]!;
      const valueChanged = pin.value !== valuesBefore[k];
      if (pin.triesLeft === before && !valueChanged) continue;
      moved++;
      const where = `PIN ${pinRefs[k]!.app.name}/${pin.fid.toString(16)} ${before} → ${pin.triesLeft}`;
      if (before === 0 && pin.triesLeft !== 0) fail(`${where}: a blocked PIN's counter moved`, command, response);
      if (valueChanged) {
        if (!isChange || !equalBytes(pin.value!, parsed!.data)) fail(`${where}: value changed by other than CHANGE REFERENCE DATA`, command, response);
        if (pin.triesLeft !== pin.maxTries) fail(`${where}: CHANGE REFERENCE DATA left the counter below the maximum`, command, response);
        if (!reports.includes('pin-value')) fail(`${where}: value change not reported for persistence`, command, response);
        continue;
      }
      if (!isVerifyWithData) fail(`${where}: counter changed by other than VERIFY with data`, command, response);
      const wrong = pin.triesLeft === before - 1 && sw === (0x63c0 | Math.min(pin.triesLeft, 15));
      const right = pin.triesLeft === pin.maxTries && sw === 0x9000;
      if (!wrong && !right) fail(`${where}: counter moved wrongly for SW ${sw.toString(16)}`, command, response);
      if (!reports.includes('pin-counter')) fail(`${where}: counter change not reported for persistence`, command, response);
    }
    if (moved > 1) fail(`${moved} PINs changed by one APDU`, command, response);
    if (isVerifyWithData && (sw & 0xfff0) === 0x63c0) {
      // Every failed VERIFY costs a try: otherwise a PIN could be guessed without limit.
      if (moved !== 1) fail('a wrong PIN was answered 63 Cx without costing a try', command, response);
      stats.wrongVerifies++;
    }
    // 69 83 or 69 84: either means blocked (spec §12 item 5).
    if (isVerifyWithData && (sw === 0x6983 || sw === 0x6984)) stats.blockedAnswers++;
    if (isChange) stats.pinChanges++;

    // Keep the session model in step (after the checks, which judge against the state before).
    if (isSelectByName && sw === 0x9000) {
      app = image.applications.find((a) => equalBytes(a.aid, parsed!.data));
      verified.clear();
      stats.selectedApps.add(app!.name);
    }
    if (isVerifyWithData && sw === 0x9000) {
      if (!app) fail('VERIFY succeeded with no AP selected', command, response);
      let opened = false;
      for (let k = 0; k < pins.length; k++) {
        if (pinRefs[k]!.app === app && valuesBefore[k] && equalBytes(valuesBefore[k]!, parsed!.data)) {
          verified.add(pins[k]!);
          opened = true;
        }
      }
      if (!opened) fail('VERIFY succeeded with a value that is no PIN of the selected AP', command, response);
      stats.rightVerifies++;
    }
  }
  stats.ms = performance.now() - started;
  return stats;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

let fixturePromise: Promise<Fixture> | undefined;
const fixture = () => (fixturePromise ??= issuedFixture());

// ---------------------------------------------------------------------------------------------

test(`fuzz: ${APDUS.toLocaleString('en')} random and mutated APDUs against an issued card (seed ${SEED})`, { timeout: 600_000 }, async (t) => {
  const f = await fixture();
  t.diagnostic(`seed ${SEED} (replay: FUZZ_SEED=${SEED})`);
  const stats = fuzz({ seed: SEED, apdus: APDUS, fixture: f });
  const top = [...stats.statuses].sort((a, b) => b[1] - a[1]).map(([sw, n]) => `${sw.toString(16).toUpperCase()}×${n}`).join(' ');
  t.diagnostic(`${APDUS} APDUs in ${Math.round(stats.ms)} ms; ${stats.signatures} signatures, ${stats.rightVerifies} right / ${stats.wrongVerifies} wrong VERIFYs, ` +
    `${stats.blockedAnswers} blocked answers, ${stats.pinChanges} PIN changes, ${stats.protectedReads} protected reads, ${stats.challenges} challenges, ${stats.resets} resets`);
  t.diagnostic(`status words: ${top}`);
  // The run reached the states that matter, or its silence would mean little.
  if (APDUS >= 100_000) {
    assert.deepEqual([...stats.selectedApps].sort(), [...APP_NAMES].sort(), 'every AP selected');
    for (const [name, count] of Object.entries({ rightVerifies: stats.rightVerifies, wrongVerifies: stats.wrongVerifies, blockedAnswers: stats.blockedAnswers, pinChanges: stats.pinChanges, protectedReads: stats.protectedReads, signatures: stats.signatures, challenges: stats.challenges, resets: stats.resets })) {
      assert.ok(count > 0, `the fuzz never reached ${name}`);
    }
  }
});

test('a status query never consumes a try: fresh, after a miss, after success, when blocked, by FID or short id', async () => {
  const image = (await fixture()).freshImage();
  const card = createVirtualCard(image);
  const status = (p2: number) => card.transmit(Uint8Array.of(0x00, 0x20, 0x00, p2));
  const sw = (bytes: Uint8Array) => hex(bytes.subarray(-2));
  for (const app of image.applications) {
    for (const pin of app.files.filter((f): f is PinFile => f.type === 'pin')) {
      const label = `${app.name}/${pin.fid.toString(16)}`;
      const select = () => {
        assert.equal(hex(card.transmit(encode(0x00, 0xa4, 0x04, 0x0c, app.aid, undefined))), '9000');
        assert.equal(hex(card.transmit(encode(0x00, 0xa4, 0x02, 0x0c, Uint8Array.of(0, pin.fid), undefined))), '9000');
      };
      const queries = (expected: number) => {
        for (let i = 0; i < 20; i++) {
          assert.equal(sw(status(0x80)), `63C${expected.toString(16).toUpperCase()}`, label);
          assert.equal(sw(status(0x80 | pin.fid)), `63C${expected.toString(16).toUpperCase()}`, label);
          assert.equal(sw(card.transmit(encode(0x00, 0x20, 0x00, 0x80, undefined, undefined, true))), sw(status(0x80)), `${label}: extended form`);
        }
        assert.equal(pin.triesLeft, expected, label);
      };
      select();
      queries(pin.maxTries);
      const wrong = Uint8Array.from(pin.value!, (b) => (b === 0x30 ? 0x31 : 0x30));
      assert.equal(sw(card.transmit(encode(0x00, 0x20, 0x00, 0x80, wrong, undefined))), `63C${(pin.maxTries - 1).toString(16).toUpperCase()}`, label);
      queries(pin.maxTries - 1);
      assert.equal(sw(card.transmit(encode(0x00, 0x20, 0x00, 0x80, pin.value!, undefined))), '9000', label);
      queries(pin.maxTries); // still 63 Cx when verified (OpenSC relies on it)
      card.reset();
      select();
      queries(pin.maxTries);
      while (pin.triesLeft > 0) card.transmit(encode(0x00, 0x20, 0x00, 0x80, wrong, undefined));
      queries(0);
    }
  }
});

test('a blocked PIN stays blocked: the right PIN, CHANGE REFERENCE DATA, resets and 50,000 fuzzed APDUs never raise its counter', async () => {
  const f = await fixture();
  const image = f.freshImage();
  const card = createVirtualCard(image);
  const sw = (bytes: Uint8Array) => hex(bytes.subarray(-2));
  // VERIFY with data on a blocked PIN: 69 83 or 69 84, the card's documented "blocked" answers (spec §12 item 5).
  const BLOCKED = /^698[34]$/;
  const jpki = findApplication(image, 'jpki')!;
  const authPin = findFile(jpki, FID.jpki.authPin) as PinFile;
  const signPin = findFile(jpki, FID.jpki.signPin) as PinFile;
  card.transmit(encode(0x00, 0xa4, 0x04, 0x0c, AID.jpki, undefined));
  for (const [pin, wrong] of [[authPin, ascii('0000')], [signPin, ascii('WRONGPASSWORD')]] as const) {
    while (pin.triesLeft > 0) card.transmit(encode(0x00, 0x20, 0x00, 0x80 | pin.fid, wrong, undefined));
  }
  const attempts = () => {
    for (const [pin, right] of [[authPin, PINS.auth], [signPin, PINS.sign]] as const) {
      assert.match(sw(card.transmit(encode(0x00, 0x20, 0x00, 0x80 | pin.fid, ascii(right), undefined))), BLOCKED);
      card.transmit(encode(0x00, 0xa4, 0x02, 0x0c, Uint8Array.of(0, pin.fid), undefined));
      assert.match(sw(card.transmit(encode(0x00, 0x20, 0x00, 0x80, ascii(right), undefined))), BLOCKED);
      assert.equal(sw(card.transmit(encode(0x00, 0x20, 0x00, 0x80, undefined, undefined))), '63C0');
      assert.notEqual(sw(card.transmit(encode(0x00, 0x24, 0x01, 0x80, ascii(right), undefined))), '9000');
      assert.equal(sw(card.transmit(encode(0x80, 0x2a, 0x00, pin === authPin ? 0x97 : 0x9a, new Uint8Array(0x33).fill(7), 256))), '6982');
    }
    assert.equal(authPin.triesLeft, 0);
    assert.equal(signPin.triesLeft, 0);
  };
  attempts();
  card.reset();
  card.transmit(encode(0x00, 0xa4, 0x04, 0x0c, AID.jpki, undefined));
  attempts();
  card.powerOff();
  card.transmit(encode(0x00, 0xa4, 0x04, 0x0c, AID.jpki, undefined));
  attempts();
  // The fuzz's own oracle fails on any blocked counter that moves; without the periodic restore they stay blocked throughout.
  fuzz({ seed: SEED ^ 0x5eed, apdus: 50_000, fixture: f, image, restoreEvery: 0 });
  assert.equal(authPin.triesLeft, 0);
  assert.equal(signPin.triesLeft, 0);
});

// ---------------------------------------------------------------------------------------------
// The oracles bite: cards with one deliberate fault each, wrapped around the real engine, are caught
// within a short run. (A fuzz that cannot fail proves nothing.)

type Sabotage = (image: CardImage, onMutation: (what: CardMutation) => void, f: Fixture) => VirtualCard;

function wrap(card: VirtualCard, transmit: (command: Uint8Array, inner: VirtualCard) => Uint8Array): VirtualCard {
  return { image: card.image, transmit: (command) => transmit(command, card), reset: () => card.reset(), powerOff: () => card.powerOff() };
}

const isVerify = (c: Uint8Array) => c[0] === 0x00 && c[1] === 0x20;
const allPins = (image: CardImage) => image.applications.flatMap((app) => app.files.filter((f): f is PinFile => f.type === 'pin'));

const SABOTAGES: Record<string, { sabotage: Sabotage; caught: RegExp }> = {
  'accepts a foreign AID': {
    sabotage: (image, onMutation) => wrap(createVirtualCard(image, onMutation), (c, inner) => {
      const answer = inner.transmit(c);
      return c[1] === 0xa4 && c[2] === 0x04 && hex(answer) === '6A82' ? Uint8Array.of(0x90, 0x00) : answer;
    }),
    caught: /foreign AID/,
  },
  'leaks the private exponent in GET CHALLENGE': {
    sabotage: (image, onMutation, f) => wrap(createVirtualCard(image, onMutation), (c, inner) => {
      const answer = inner.transmit(c);
      if (c[1] === 0x84 && answer.length >= 2 + 40) answer.set(f.authD.subarray(100, 140), 0);
      return answer;
    }),
    caught: /secret bytes/,
  },
  'echoes the right PIN after a wrong one': {
    sabotage: (image, onMutation) => wrap(createVirtualCard(image, onMutation), (c, inner) => {
      const answer = inner.transmit(c);
      return isVerify(c) && answer.length === 2 && answer[0] === 0x63 && c.length > 5 ? Uint8Array.from([...ascii('4711'), ...answer]) : answer;
    }),
    caught: /data with a status other than 90 00/,
  },
  'a status query costs a try': {
    sabotage: (image, onMutation) => wrap(createVirtualCard(image, onMutation), (c, inner) => {
      const answer = inner.transmit(c);
      if (isVerify(c) && c.length === 4) for (const pin of allPins(image)) if (pin.triesLeft > 0) { pin.triesLeft--; break; }
      return answer;
    }),
    caught: /counter changed by other than VERIFY with data/,
  },
  'a wrong PIN costs nothing': {
    sabotage: (image, onMutation) => wrap(createVirtualCard(image, onMutation), (c, inner) => {
      const before = allPins(image).map((p) => p.triesLeft);
      const answer = inner.transmit(c);
      if (answer[0] === 0x63) allPins(image).forEach((p, i) => { p.triesLeft = before[i]!; });
      return answer;
    }),
    caught: /without costing a try/,
  },
  'READ BINARY unblocks': {
    sabotage: (image, onMutation) => wrap(createVirtualCard(image, onMutation), (c, inner) => {
      const answer = inner.transmit(c);
      if (c[1] === 0xb0) for (const pin of allPins(image)) pin.triesLeft = pin.maxTries;
      return answer;
    }),
    caught: /blocked PIN's counter moved|counter changed by other than VERIFY/,
  },
  'throws on an unknown instruction': {
    sabotage: (image, onMutation) => wrap(createVirtualCard(image, onMutation), (c, inner) => {
      if (c[1] === 0xca) throw new Error('GET DATA not wired');
      return inner.transmit(c);
    }),
    caught: /transmit threw/,
  },
  'answers nothing to an empty command': {
    sabotage: (image, onMutation) => wrap(createVirtualCard(image, onMutation), (c, inner) => (c.length === 0 ? new Uint8Array(0) : inner.transmit(c))),
    caught: /at least SW1 SW2/,
  },
  'does not report counter changes': {
    sabotage: (image) => createVirtualCard(image),
    caught: /not reported for persistence/,
  },
  'reads a protected EF without its PIN': {
    sabotage: (image, onMutation) => wrap(createVirtualCard(image, onMutation), (c, inner) => {
      const answer = inner.transmit(c);
      if (c[1] !== 0xb0 || hex(answer) !== '6982') return answer;
      const file = findFile(findApplication(image, 'kenhojo')!, FID.kenhojo.myNumber) as BinaryFile;
      return Uint8Array.from([...file.data, 0x90, 0x00]);
    }),
    caught: /without any of its PINs verified|no slice of a data EF/,
  },
};

for (const [name, { sabotage, caught }] of Object.entries(SABOTAGES)) {
  test(`the fuzz catches a card that ${name}`, async () => {
    const f = await fixture();
    assert.throws(
      () => fuzz({ seed: 20261124, apdus: 200_000, fixture: f, makeCard: (image, onMutation) => sabotage(image, onMutation, f) }),
      (error: unknown) => error instanceof FuzzFailure && caught.test(error.message),
    );
  });
}
