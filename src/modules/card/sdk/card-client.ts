// The card SDK: high-level calls (certificates, PIN status, signing, 4 attributes, card face, PIN change) over any CardTransport.
import { createHash } from 'node:crypto';
import type { CardTransport } from '../transports/card-transport.ts';
import { AID, FID } from '../virtual-card/card-layout.ts';
import { readTlvs } from '../virtual-card/tlv.ts';
import { PlatformError } from '../../../kernel/errors.ts';
import { cardError } from '../errors.ts';

/** Which PIN: the four the resident sets, and the two 照合番号 of the 券面AP. */
export type CardPinKind = 'auth' | 'sign' | 'kenhojo' | 'juki' | 'collationA' | 'collationB';

/** The 4 attributes as read from the 券面事項入力補助AP. */
export interface ReadAttributes {
  name: string;
  address: string;
  /** `YYYY-MM-DD`. */
  birthDate: string;
  /** ISO 5218: 1 male, 2 female, 9 not applicable. */
  sexCode: string;
}

/** The card face (券面AP) as read with 照合番号A or B. */
export interface CardFace {
  birthDate: string;
  sexCode: string;
  expiresOn: string;
  nameImage: Uint8Array;
  addressImage: Uint8Array;
  photo: Uint8Array;
  securityCodeImage: Uint8Array;
  /** Back side: the individual number image (照合番号A only). */
  myNumberImage: Uint8Array | null;
}

const PIN_LOCATION: Record<CardPinKind, { aid: Uint8Array; fid: number }> = {
  auth: { aid: AID.jpki, fid: FID.jpki.authPin },
  sign: { aid: AID.jpki, fid: FID.jpki.signPin },
  kenhojo: { aid: AID.kenhojo, fid: FID.kenhojo.pin },
  juki: { aid: AID.juki, fid: FID.juki.pin },
  collationA: { aid: AID.kenkaku, fid: FID.kenkaku.collationA },
  collationB: { aid: AID.kenkaku, fid: FID.kenkaku.collationB },
};

const DIGEST_INFO_PREFIX: Record<'sha1' | 'sha256' | 'sha384' | 'sha512', string> = {
  sha1: '3021300906052b0e03021a05000414',
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};

/** The PKCS#1 DigestInfo the card signs for a message (hashed here; the card does not hash). */
export function digestInfo(message: Uint8Array, hash: keyof typeof DIGEST_INFO_PREFIX = 'sha256'): Uint8Array {
  return new Uint8Array(Buffer.concat([Buffer.from(DIGEST_INFO_PREFIX[hash], 'hex'), createHash(hash).update(message).digest()]));
}

function apdu(header: number[], data?: Uint8Array, le?: number): Uint8Array {
  const parts = [...header];
  if (data && data.length > 0) parts.push(data.length, ...data);
  if (le !== undefined) parts.push(le);
  return Uint8Array.from(parts);
}

/**
 * @example
 * const client = new CardClient(await openPcscTransport());
 * const der = await client.readCertificate('auth');
 * const signature = await client.sign('auth', digestInfo(challenge), '1234');
 */
export class CardClient {
  constructor(readonly transport: CardTransport) {}

  /** Sends one APDU; returns the data when the status word is 90 00, otherwise throws a CardError. */
  private async send(command: Uint8Array, context: string): Promise<Uint8Array> {
    const answer = await this.transport.transmit(command);
    const sw = (answer[answer.length - 2]! << 8) | answer[answer.length - 1]!;
    if (sw === 0x9000) return answer.subarray(0, answer.length - 2);
    throw statusError(sw, context);
  }

  private async select(aid: Uint8Array, fid?: number): Promise<void> {
    await this.send(apdu([0x00, 0xa4, 0x04, 0x0c], aid), 'アプリケーションの選択');
    if (fid !== undefined) await this.selectFile(fid);
  }

  private async selectFile(fid: number): Promise<void> {
    await this.send(apdu([0x00, 0xa4, 0x02, 0x0c], Uint8Array.of(fid >> 8, fid & 0xff)), 'ファイルの選択');
  }

  /** Reads the current EF whole: a 4-byte header tells a DER certificate's length; otherwise 256-byte chunks to the end. */
  private async readCurrentFile(): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    let offset = 0;
    for (;;) {
      let chunk: Uint8Array;
      try {
        chunk = await this.send(apdu([0x00, 0xb0, offset >> 8, offset & 0xff], undefined, 0), 'ファイルの読み出し');
      } catch (error) {
        // 6B 00: offset past the end — the file ended exactly at a chunk boundary.
        if (offset > 0 && error instanceof PlatformError && error.detail === 'SW 6B00') break;
        throw error;
      }
      chunks.push(chunk);
      offset += chunk.length;
      if (chunk.length < 256 || offset > 0x7fff) break;
    }
    return new Uint8Array(Buffer.concat(chunks));
  }

  private async verify(kind: CardPinKind, pin: string): Promise<void> {
    await this.selectFile(PIN_LOCATION[kind].fid);
    await this.send(apdu([0x00, 0x20, 0x00, 0x80], new Uint8Array(Buffer.from(pin, 'latin1'))), `暗証番号の照合（${kind}）`);
  }

  /** The card's ATR after a warm reset (clears every verified PIN). */
  async reset(): Promise<Uint8Array> {
    return this.transport.reset();
  }

  /** The JPKI token label: `JPKIAPICCTOKEN2` for a My Number card. */
  async tokenLabel(): Promise<string> {
    await this.select(AID.jpki, FID.jpki.tokenInfo);
    const data = await this.send(apdu([0x00, 0xb0, 0x00, 0x00], undefined, 0x20), 'トークン情報の読み出し');
    return Buffer.from(data).toString('latin1').replace(/[\s\0]+$/, '');
  }

  /** Tries left of each PIN (status query; never consumes a try). */
  async pinStatus(): Promise<Record<CardPinKind, number>> {
    const result = {} as Record<CardPinKind, number>;
    for (const kind of Object.keys(PIN_LOCATION) as CardPinKind[]) {
      const { aid, fid } = PIN_LOCATION[kind];
      await this.select(aid, fid);
      const answer = await this.transport.transmit(Uint8Array.of(0x00, 0x20, 0x00, 0x80));
      const sw1 = answer[answer.length - 2];
      if (sw1 !== 0x63) throw statusError((sw1! << 8) | answer[answer.length - 1]!, '暗証番号の残り回数');
      result[kind] = answer[answer.length - 1]! & 0x0f;
    }
    return result;
  }

  /**
   * A certificate, DER. The signing certificate needs the signing password (`pin`); the others are
   * free to read.
   */
  async readCertificate(which: 'auth' | 'sign' | 'auth-ca' | 'sign-ca', pin?: string): Promise<Uint8Array> {
    await this.select(AID.jpki);
    if (which === 'sign') {
      if (!pin) throw cardError('CARD_SECURITY_STATUS', { message: '署名用電子証明書の読み出しには署名用の暗証番号が必要です' });
      await this.verify('sign', pin);
    }
    const fid = { auth: FID.jpki.authCertificate, sign: FID.jpki.signCertificate, 'auth-ca': FID.jpki.authCaCertificate, 'sign-ca': FID.jpki.signCaCertificate }[which];
    await this.selectFile(fid);
    const header = await this.send(apdu([0x00, 0xb0, 0x00, 0x00], undefined, 4), '証明書の読み出し');
    if (header[0] !== 0x30 || header[1] !== 0x82) throw cardError('CARD_RESPONSE_ERROR', { detail: 'この証明書ファイルは空です（証明書が書き込まれていません）' });
    const length = ((header[2]! << 8) | header[3]!) + 4;
    const chunks: Uint8Array[] = [];
    for (let offset = 0; offset < length; offset += 256) {
      chunks.push(await this.send(apdu([0x00, 0xb0, offset >> 8, offset & 0xff], undefined, Math.min(256, length - offset) & 0xff), '証明書の読み出し'));
    }
    return new Uint8Array(Buffer.concat(chunks));
  }

  /**
   * Signs with the user-authentication or signing key: `input` is what the card pads and signs
   * (a DigestInfo from `digestInfo()`, or raw bytes up to 245). Verifies the PIN first.
   */
  async sign(key: 'auth' | 'sign', input: Uint8Array, pin: string): Promise<Uint8Array> {
    await this.select(AID.jpki);
    await this.verify(key, pin);
    await this.selectFile(key === 'auth' ? FID.jpki.authKey : FID.jpki.signKey);
    return this.send(apdu([0x80, 0x2a, 0x00, 0x80], input, 0), '署名');
  }

  /** The individual number (券面事項入力補助用 PIN). */
  async readIndividualNumber(kenhojoPin: string): Promise<string> {
    await this.select(AID.kenhojo);
    await this.verify('kenhojo', kenhojoPin);
    await this.selectFile(FID.kenhojo.myNumber);
    const data = await this.send(apdu([0x00, 0xb0, 0x00, 0x00], undefined, 17), '個人番号の読み出し');
    return Buffer.from(data.subarray(3, 15)).toString('latin1');
  }

  /** The 4 attributes (券面事項入力補助用 PIN). */
  async readAttributes(kenhojoPin: string): Promise<ReadAttributes> {
    await this.select(AID.kenhojo);
    await this.verify('kenhojo', kenhojoPin);
    await this.selectFile(FID.kenhojo.basicAttributes);
    const file = await this.readCurrentFile();
    const [outer] = readTlvs(file);
    const fields = new Map(readTlvs(outer!.value).map((t) => [t.tag, Buffer.from(t.value)]));
    const birth = fields.get(0xdf24)!.toString('latin1');
    return {
      name: fields.get(0xdf22)!.toString('utf8'), address: fields.get(0xdf23)!.toString('utf8'),
      birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`, sexCode: fields.get(0xdf25)!.toString('latin1'),
    };
  }

  /** The card face: 照合番号A (12 digits) gives front and back, 照合番号B (14 digits) the front. */
  async readCardFace(collationNumber: string): Promise<CardFace> {
    const kind: CardPinKind = collationNumber.length === 12 ? 'collationA' : 'collationB';
    await this.select(AID.kenkaku);
    await this.verify(kind, collationNumber);
    await this.selectFile(FID.kenkaku.entries);
    const [outer] = readTlvs(await this.readCurrentFile());
    const f = new Map(readTlvs(outer!.value).map((t) => [t.tag, t.value]));
    const text = (tag: number) => Buffer.from(f.get(tag) ?? []).toString('latin1');
    const date = (value: string) => `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
    let myNumberImage: Uint8Array | null = null;
    if (kind === 'collationA') {
      await this.selectFile(FID.kenkaku.myNumberImage);
      const [image] = readTlvs(await this.readCurrentFile());
      myNumberImage = new Uint8Array(readTlvs(image!.value).find((t) => t.tag === 0xdf41)!.value);
    }
    return {
      birthDate: date(text(0xdf22)), sexCode: text(0xdf23), expiresOn: date(text(0xdf29)),
      nameImage: new Uint8Array(f.get(0xdf25)!), addressImage: new Uint8Array(f.get(0xdf26)!),
      photo: new Uint8Array(f.get(0xdf27)!), securityCodeImage: new Uint8Array(f.get(0xdf2a)!), myNumberImage,
    };
  }

  /** Changes one of the four PINs (VERIFY with the current one, then CHANGE REFERENCE DATA). */
  async changePin(kind: 'auth' | 'sign' | 'kenhojo' | 'juki', current: string, next: string): Promise<void> {
    await this.select(PIN_LOCATION[kind].aid);
    await this.verify(kind, current);
    await this.send(apdu([0x00, 0x24, 0x01, 0x80], new Uint8Array(Buffer.from(next, 'latin1'))), '暗証番号の変更');
  }
}

/** A status word as the SDK's error: wrong PIN with tries left, blocked, not allowed, or other. */
function statusError(sw: number, context: string): PlatformError {
  const detail = `SW ${sw.toString(16).toUpperCase().padStart(4, '0')}`;
  if ((sw & 0xfff0) === 0x63c0) {
    const left = sw & 0x0f;
    if (left === 0) return cardError('CARD_PIN_BLOCKED', { detail });
    return cardError('CARD_PIN_INCORRECT', { message: `暗証番号が違います（残り${left}回） / Incorrect PIN (${left} tries left)`, detail });
  }
  if (sw === 0x6984 || sw === 0x6983) return cardError('CARD_PIN_BLOCKED', { detail });
  if (sw === 0x6985) return cardError('CARD_PIN_NOT_SET', { detail });
  if (sw === 0x6982) return cardError('CARD_SECURITY_STATUS', { detail });
  return cardError('CARD_RESPONSE_ERROR', { message: `カードがエラーを返しました（${context}: ${detail}） / The card answered ${detail}`, detail });
}

/** Tries left carried by a CARD_PIN_INCORRECT error, for UIs ("残り2回"). */
export function triesLeftOf(error: unknown): number | undefined {
  if (!(error instanceof PlatformError)) return undefined;
  if (error.code === 'CARD_PIN_BLOCKED') return 0;
  const match = error.code === 'CARD_PIN_INCORRECT' ? /^SW 63C([0-9A-F])$/.exec(error.detail ?? '') : null;
  return match ? parseInt(match[1]!, 16) : undefined;
}
