// The JPKI application of a My Number card as the kiosk uses it (docs/issuance.md step 2): read the
// user-authentication certificate, verify its 4-digit PIN, sign the centre's challenge. Speaks APDUs
// to any CardTransport: the demo virtual reader (virtual-card.ts) or, later, a real reader's bridge.

/**
 * A card in a reader, as the kiosk sees it. The demo implements it over the platform's virtual card
 * reader API; a real reader (PC/SC through a local bridge, WebUSB…) implements the same two calls.
 */
export interface CardTransport {
  /** Human-readable: which card or reader, for logs. */
  readonly description: string;
  /** Sends one command APDU; resolves with the response APDU including the status word. */
  transmit(command: Uint8Array): Promise<Uint8Array>;
  /** Warm reset: the card forgets verified PINs. */
  reset(): Promise<void>;
}

/** The card answered a status word the kiosk cannot go on with. */
export class CardError extends Error {
  constructor(readonly sw: number, readonly step: string) {
    super(`card answered ${sw.toString(16).toUpperCase().padStart(4, '0')} to ${step}`);
    this.name = 'CardError';
  }
}

/** Result of a PIN verification: `triesLeft: 0` means the PIN is locked. */
export type PinCheck = { ok: true } | { ok: false; triesLeft: number };

// spec/card-apdu.md: the JPKI AP and its elementary files.
const JPKI_AID = [0xd3, 0x92, 0xf0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];
const EF_AUTH_CERTIFICATE = [0x00, 0x0a];
const EF_AUTH_KEY = [0x00, 0x17];
const EF_AUTH_PIN = [0x00, 0x18];
/** DER prefix of a SHA-256 DigestInfo (RFC 8017 §9.2, note 1). */
const SHA256_DIGEST_INFO_PREFIX = [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20];
const SW_OK = 0x9000;

/**
 * @example
 * const card = new JpkiCard(transport);
 * await card.start();
 * const certificate = await card.readAuthCertificate();
 * if ((await card.verifyAuthPin('1234')).ok) signature = await card.signAuth(challenge);
 */
export class JpkiCard {
  constructor(private readonly transport: CardTransport) {}

  /** Resets the card (a session starts with no verified PIN) and selects the JPKI AP. */
  async start(): Promise<void> {
    await this.transport.reset();
    await this.#expectOk([0x00, 0xa4, 0x04, 0x0c, JPKI_AID.length, ...JPKI_AID], 'SELECT JPKI AP');
  }

  /** Resets the card: the verified PIN is forgotten. */
  async end(): Promise<void> {
    await this.transport.reset();
  }

  /** The user-authentication certificate, DER: a 4-byte header read gives the length, then 256-byte chunks. */
  async readAuthCertificate(): Promise<Uint8Array> {
    await this.#selectEf(EF_AUTH_CERTIFICATE);
    const header = await this.#expectOk([0x00, 0xb0, 0x00, 0x00, 0x04], 'READ BINARY');
    if (header[0] !== 0x30 || header[1] !== 0x82) throw new CardError(SW_OK, 'READ BINARY (no certificate)');
    const length = ((header[2]! << 8) | header[3]!) + 4;
    const certificate = new Uint8Array(length);
    for (let offset = 0; offset < length; offset += 256) {
      const le = Math.min(256, length - offset) & 0xff; // 256 is Le 00
      const chunk = await this.#expectOk([0x00, 0xb0, offset >> 8, offset & 0xff, le], 'READ BINARY');
      certificate.set(chunk.subarray(0, length - offset), offset);
    }
    return certificate;
  }

  /** Tries left of the user-authentication PIN, asked without consuming one (VERIFY with no data). */
  async authPinTriesLeft(): Promise<number | null> {
    await this.#selectEf(EF_AUTH_PIN);
    const sw = statusWord(await this.transport.transmit(Uint8Array.from([0x00, 0x20, 0x00, 0x80])));
    if ((sw & 0xfff0) === 0x63c0) return sw & 0x0f;
    if (sw === 0x6983 || sw === 0x6984) return 0;
    return null;
  }

  /** VERIFY of the 4-digit PIN: `63 Cx` is a wrong PIN with x tries left, `63 C0` / `69 83` locked. */
  async verifyAuthPin(pin: string): Promise<PinCheck> {
    if (!/^[0-9]{4}$/.test(pin)) throw new TypeError('the user-authentication PIN is 4 digits');
    await this.#selectEf(EF_AUTH_PIN);
    const digits = Array.from(pin, (c) => c.charCodeAt(0));
    const sw = statusWord(await this.transport.transmit(Uint8Array.from([0x00, 0x20, 0x00, 0x80, 0x04, ...digits])));
    if (sw === SW_OK) return { ok: true };
    if ((sw & 0xfff0) === 0x63c0) return { ok: false, triesLeft: sw & 0x0f };
    if (sw === 0x6983 || sw === 0x6984) return { ok: false, triesLeft: 0 };
    throw new CardError(sw, 'VERIFY');
  }

  /** Signs SHA-256 DigestInfo(message) with the user-authentication key (after a successful VERIFY). */
  async signAuth(message: Uint8Array): Promise<Uint8Array> {
    const digestInfo = await sha256DigestInfo(message);
    await this.#selectEf(EF_AUTH_KEY);
    return this.#expectOk([0x80, 0x2a, 0x00, 0x80, digestInfo.length, ...digestInfo, 0x00], 'COMPUTE DIGITAL SIGNATURE');
  }

  #selectEf(fid: number[]): Promise<Uint8Array> {
    return this.#expectOk([0x00, 0xa4, 0x02, 0x0c, 0x02, ...fid], 'SELECT EF');
  }

  async #expectOk(command: number[], step: string): Promise<Uint8Array> {
    const answer = await this.transport.transmit(Uint8Array.from(command));
    const sw = statusWord(answer);
    if (sw !== SW_OK) throw new CardError(sw, step);
    return answer.subarray(0, answer.length - 2);
  }
}

/** `30 31 30 0d … 04 20 || SHA-256(message)`, computed with Web Crypto (needs a secure context: HTTPS or localhost). */
export async function sha256DigestInfo(message: Uint8Array): Promise<Uint8Array> {
  if (!globalThis.crypto?.subtle) throw new InsecureContextError();
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', message as Uint8Array<ArrayBuffer>));
  return Uint8Array.from([...SHA256_DIGEST_INFO_PREFIX, ...digest]);
}

/** Web Crypto is missing: the kiosk page was opened over plain HTTP on another host than localhost. */
export class InsecureContextError extends Error {
  constructor() {
    super('crypto.subtle needs a secure context (HTTPS or localhost)');
    this.name = 'InsecureContextError';
  }
}

function statusWord(answer: Uint8Array): number {
  if (answer.length < 2) throw new CardError(0, 'response without a status word');
  return (answer[answer.length - 2]! << 8) | answer[answer.length - 1]!;
}
