// Serves an InsertedCard to pcscd through vsmartcard's vpcd driver: we are the TCP client vpcd waits for, i.e. the card in its slot.
import { connect, type Socket } from 'node:net';
import type { InsertedCard } from './card-transport.ts';
import { cardError } from '../errors.ts';

/** vpcd's first reader ("Virtual PCD 00 00") in Debian's /etc/reader.conf.d/vpcd; the second listens on the next port. */
export const VPCD_DEFAULT_PORT = 0x8c7b;

export interface VpcdAttachment {
  readonly host: string;
  readonly port: number;
  /** Takes the card out: closes the connection; pcscd notices at its next presence poll. */
  detach(): Promise<void>;
  /** Settles when the connection has ended, by detach() or because vpcd (pcscd) closed it. */
  readonly detached: Promise<void>;
}

export interface VpcdOptions {
  host?: string;
  port?: number;
  /** Card failures (answered 6F 00 to pcscd) and connection errors; they never reject or throw. */
  onError?: (error: Error) => void;
}

// vpcd's control messages: a 1-byte payload.
const POWER_OFF = 0;
const POWER_ON = 1;
const RESET = 2;
const GET_ATR = 4;
/** SW 6F 00 "no precise diagnosis": what a card answers when it fails internally. */
const CARD_FAILURE = Uint8Array.of(0x6f, 0x00);

/** Length-prefixed frame, built whole so it leaves in one write (one TCP segment). */
function frame(payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(2 + payload.length);
  out.writeUInt16BE(payload.length, 0);
  out.set(payload, 2);
  return out;
}

/** Splits the byte stream into vpcd messages; a message may span chunks and a chunk may hold several. */
function messageSplitter(): (chunk: Buffer) => Buffer[] {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    const messages: Buffer[] = [];
    while (pending.length >= 2) {
      const end = 2 + pending.readUInt16BE(0);
      if (pending.length < end) break;
      messages.push(pending.subarray(2, end));
      pending = pending.subarray(end);
    }
    return messages;
  };
}

function open(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (cause: NodeJS.ErrnoException) => {
      socket.destroy();
      if (cause.code === 'ECONNREFUSED') reject(cardError('CARD_VPCD_UNREACHABLE', { detail: `${host}:${port}`, cause }));
      else reject(cause);
    });
  });
}

/**
 * Inserts `card` into vpcd's virtual reader: connects to vpcd (default 127.0.0.1:35963) and answers
 * its power, reset, ATR and APDU messages one at a time, in order. A card that throws answers 6F 00.
 *
 * @throws PlatformError CARD_VPCD_UNREACHABLE when nothing listens (pcscd with vsmartcard-vpcd not running)
 * @example
 * const slot = await attachToVpcd(card);
 * const transport = await openPcscTransport('Virtual PCD 00 00'); // …
 * await slot.detach();
 */
export async function attachToVpcd(card: InsertedCard, options: VpcdOptions = {}): Promise<VpcdAttachment> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? VPCD_DEFAULT_PORT;
  const onError = options.onError ?? ((error: Error) => process.emitWarning(error));
  const report = (error: Error) => {
    try {
      onError(error);
    } catch {
      // A throwing listener must not stop the card: vpcd would wait for an answer forever.
    }
  };
  const socket = await open(host, port);
  // vpcd waits for each answer before sending more, so answers must not wait for Nagle.
  socket.setNoDelay(true);

  const detached = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', (error) => report(error));

  const answer = (payload: Uint8Array) => {
    if (!socket.destroyed && socket.writable) socket.write(frame(payload));
  };
  const fail = (what: string, cause: unknown) => report(new Error(`仮想カードが失敗しました / card failed (${what})`, { cause }));

  let detaching = false;
  const handle = async (message: Buffer): Promise<void> => {
    if (detaching) return;
    if (message.length === 1) {
      const control = message[0];
      try {
        if (control === GET_ATR) answer(card.atr());
        else if (control === POWER_OFF) await card.powerOff();
        else if (control === POWER_ON) await card.powerOn();
        else if (control === RESET) await card.reset();
        else report(new Error(`vpcd の不明な制御メッセージ / unknown vpcd control message ${control}`));
      } catch (cause) {
        fail(`control ${control}`, cause);
        // vpcd blocks until it gets an ATR; an empty one makes it treat the card as absent.
        if (control === GET_ATR) answer(new Uint8Array(0));
      }
      return;
    }
    // vpcd sends nothing for an empty APDU; an empty message would be a protocol error, so it is ignored.
    if (message.length === 0) return;
    try {
      answer(await card.transmit(new Uint8Array(message.buffer, message.byteOffset, message.length)));
    } catch (cause) {
      fail('transmit', cause);
      answer(CARD_FAILURE);
    }
  };

  // One message at a time: a card is a single-threaded chip, and vpcd reads answers in order.
  const split = messageSplitter();
  let queue = Promise.resolve();
  socket.on('data', (chunk: Buffer) => {
    for (const message of split(chunk)) queue = queue.then(() => handle(message));
  });

  return {
    host,
    port,
    detached,
    detach: async () => {
      // A command already with the card finishes, but its answer is not sent: the card is gone.
      detaching = true;
      socket.end();
      await Promise.all([detached, queue]);
    },
  };
}
