// A CardTransport over PC/SC (pcscd): real readers and vpcd's virtual reader, through the optional npm package pcsclite.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { cardError } from '../errors.ts';
import type { CardTransport } from './card-transport.ts';


/** One PC/SC reader as pcscd reports it. */
export interface PcscReaderInfo {
  readonly name: string;
  readonly cardPresent: boolean;
  /** Upper-case hex, when a card is present and answered. */
  readonly atr?: string;
}

export interface PcscOptions {
  /** Upper bound for each answer from pcscd (default 5000 ms); pcscd normally answers in a few ms. */
  timeoutMs?: number;
  /** Exclusive (default) keeps other applications from using the card between our commands (a verified PIN is ours). */
  shareMode?: 'exclusive' | 'shared';
}

// The parts of pcsclite's native classes used here (its index.d.ts does not export them).
interface NativeContext {
  start(callback: (error: Error | undefined, readers?: Buffer) => void): void;
  close(): void;
}
interface NativeReader {
  get_status(callback: (error: Error | undefined, state: number, atr?: Buffer) => void): void;
  connect(options: { share_mode: number; protocol: number }, callback: (error: Error | null, protocol: number) => void): void;
  disconnect(disposition: number, callback: (error: Error | null) => void): void;
  transmit(data: Buffer, maxLength: number, protocol: number, callback: (error: Error | null, response: Buffer) => void): void;
  close(): void;
  readonly SCARD_SHARE_EXCLUSIVE: number;
  readonly SCARD_SHARE_SHARED: number;
  readonly SCARD_PROTOCOL_T0: number;
  readonly SCARD_PROTOCOL_T1: number;
  readonly SCARD_STATE_PRESENT: number;
  readonly SCARD_RESET_CARD: number;
}
interface PcscBinding {
  PCSCLite: new () => NativeContext;
  CardReader: new (name: string) => NativeReader;
}

/** Extended responses: up to 65 536 data bytes + SW1 SW2. */
const MAX_RESPONSE = 65538;
const DEFAULT_TIMEOUT_MS = 5000;
/**
 * pcsclite 1.0.1's status threads check their stop flag right after reporting; closing one before it
 * is back inside SCardGetStatusChange makes it exit silently, leaving a libuv handle that keeps the
 * process alive (or, for the context, blocks close()). Waiting a little before close() avoids the race
 * (measured: closing at setImmediate leaked 58 of 500 threads, after 15 ms none of 800 on a loaded machine).
 */
const CLOSE_DELAY_MS = 15;
/**
 * After close(), the thread's last libuv callbacks (the final status report and the handle's close
 * callback) still dereference the C++ object, which V8 deletes as soon as the JS object is collected:
 * a garbage collection in between is a use-after-free. Both callbacks run in the same event-loop
 * iteration as close() (the thread has signalled before close() joins it), so any later timer would
 * do; a second is the margin. The timer is unref'd: the handle itself keeps the process alive until then.
 */
const RETAIN_AFTER_CLOSE_MS = 1000;
const closedRecently = new Set<object>();

let binding: Promise<PcscBinding> | undefined;

/**
 * Loads pcsclite on first use, so the platform runs without it. The JS wrapper (lib/pcsclite.js)
 * must be loaded because it adds connect/transmit/EventEmitter to the native prototypes, but its
 * factory only reports readers as they appear, giving no "the list is complete" moment; the native
 * classes answer the list and each status directly.
 */
function loadPcsc(): Promise<PcscBinding> {
  binding ??= (async () => {
    try {
      await import('pcsclite');
      const entry = createRequire(import.meta.url).resolve('pcsclite');
      const bindings = createRequire(entry)('bindings') as (options: { bindings: string; module_root: string }) => PcscBinding;
      return bindings({ bindings: 'pcsclite', module_root: dirname(entry) });
    } catch (cause) {
      binding = undefined;
      throw cardError('CARD_PCSC_UNAVAILABLE', { detail: String(cause), cause });
    }
  })();
  return binding;
}

const SCARD = {
  sharingViolation: 0x8010000b,
  noSmartcard: 0x8010000c,
  unknownReader: 0x80100009,
  readerUnavailable: 0x80100017,
  noService: 0x8010001d,
  serviceStopped: 0x8010001e,
  noReadersAvailable: 0x8010002e,
  unresponsiveCard: 0x80100066,
  unpoweredCard: 0x80100067,
  resetCard: 0x80100068,
  removedCard: 0x80100069,
} as const;

/** Maps pcsclite's "SCardX error: text(0x8010000c)" to one of our codes. */
function pcscFailure(cause: unknown, reader?: string) {
  const text = cause instanceof Error ? cause.message : String(cause);
  const match = /\(0x([0-9a-f]{8})\)/i.exec(text);
  const rc = match ? Number.parseInt(match[1]!, 16) : undefined;
  const detail = reader === undefined ? text : `${text} (reader "${reader}")`;
  switch (rc) {
    case SCARD.noService:
    case SCARD.serviceStopped:
      return cardError('CARD_PCSC_SERVICE_DOWN', { detail, cause });
    case SCARD.unknownReader:
    case SCARD.readerUnavailable:
    case SCARD.noReadersAvailable:
      return cardError('CARD_READER_NOT_FOUND', { detail, cause });
    case SCARD.noSmartcard:
    case SCARD.removedCard:
      return cardError('CARD_NOT_PRESENT', { detail, cause });
    case SCARD.sharingViolation:
      return cardError('CARD_PCSC_FAILED', { message: '他のアプリケーションがカードを使用中です / the card is in use by another application', detail, cause });
    case SCARD.unresponsiveCard:
    case SCARD.unpoweredCard:
      return cardError('CARD_PCSC_FAILED', { message: 'カードが応答しません / the card does not respond', detail, cause });
    default:
      return cardError('CARD_PCSC_FAILED', { detail, cause });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(cardError('CARD_PCSC_FAILED', { message: `PC/SC が応答しません / PC/SC did not answer (${what}, ${ms} ms)` })),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Stops a native status thread and keeps its object reachable until its last callbacks ran (see RETAIN_AFTER_CLOSE_MS). */
function stopStatusThread(target: { close(): void }): void {
  target.close();
  closedRecently.add(target);
  setTimeout(() => closedRecently.delete(target), RETAIN_AFTER_CLOSE_MS).unref();
}

/**
 * The first answer of a native status thread, given once the thread is stopped (see CLOSE_DELAY_MS).
 * A thread that never answers is left running: close() would block the event loop on a hung pcscd;
 * its callback keeps the object reachable, and a late answer still stops it.
 */
function firstAnswer<A extends unknown[]>(
  target: { close(): void },
  start: (callback: (error: Error | undefined, ...rest: A) => void) => void,
): Promise<A> {
  return new Promise((resolve, reject) => {
    let answered = false;
    start((error, ...rest) => {
      // Later calls (including "Command cancelled" caused by close()) are not ours.
      if (answered) return;
      answered = true;
      setTimeout(() => {
        stopStatusThread(target);
        if (error) reject(error);
        else resolve(rest);
      }, CLOSE_DELAY_MS);
    });
  });
}

async function readerNames(pcsc: PcscBinding, timeoutMs: number): Promise<string[]> {
  let context: NativeContext;
  try {
    context = new pcsc.PCSCLite();
  } catch (cause) {
    throw pcscFailure(cause);
  }
  const answer = firstAnswer<[Buffer?]>(context, (callback) => context.start(callback)).catch((cause: unknown) => {
    throw pcscFailure(cause);
  });
  const [list] = await withTimeout(answer, timeoutMs, 'SCardListReaders');
  // A multi-string: names separated by NUL, ending with an empty one; empty when there is no reader.
  return (list ?? Buffer.alloc(0)).toString('utf8').split('\0').filter((name) => name !== '');
}

/** A reader's native object and what its first status said. */
interface InspectedReader {
  readonly info: PcscReaderInfo;
  readonly reader: NativeReader;
}

/**
 * Every CardReader is made here and asked its status once before anything else: pcsclite 1.0.1's
 * constructor leaves the thread id its destructor joins uninitialised, and only get_status + close()
 * set it (to 0 after the join). A reader used only to connect would, once garbage-collected, join a
 * random thread id: the SIGSEGV seen in CI after the PC/SC tests.
 */
async function inspectReader(pcsc: PcscBinding, name: string, timeoutMs: number): Promise<InspectedReader> {
  const reader = new pcsc.CardReader(name);
  const answer = firstAnswer<[number, Buffer?]>(reader, (callback) => reader.get_status(callback)).catch((cause: unknown) => {
    throw pcscFailure(cause, name);
  });
  const [state, atr] = await withTimeout(answer, timeoutMs, `status of ${name}`);
  const cardPresent = (state & reader.SCARD_STATE_PRESENT) !== 0;
  const info = cardPresent && atr && atr.length > 0 ? { name, cardPresent, atr: atr.toString('hex').toUpperCase() } : { name, cardPresent };
  return { info, reader };
}

async function inspectReaders(pcsc: PcscBinding, timeoutMs: number): Promise<InspectedReader[]> {
  const names = await readerNames(pcsc, timeoutMs);
  return Promise.all(names.map((name) => inspectReader(pcsc, name, timeoutMs)));
}

/**
 * The PC/SC readers pcscd knows, whether a card is in each and its ATR. Returns [] when pcscd runs
 * without readers.
 *
 * @throws PlatformError CARD_PCSC_UNAVAILABLE (pcsclite not installed), CARD_PCSC_SERVICE_DOWN (pcscd not running)
 */
export async function listPcscReaders(options: Pick<PcscOptions, 'timeoutMs'> = {}): Promise<PcscReaderInfo[]> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const readers = await inspectReaders(await loadPcsc(), timeoutMs);
  return readers.map(({ info }) => info);
}

function call<T>(what: string, reader: string, timeoutMs: number, run: (callback: (error: Error | null, value: T) => void) => void): Promise<T> {
  const answer = new Promise<T>((resolve, reject) => run((error, value) => (error ? reject(pcscFailure(error, reader)) : resolve(value))));
  return withTimeout(answer, timeoutMs, `${what} ${reader}`);
}

/**
 * Connects to the card in `readerName`, or in the first reader holding a card. The connection is
 * exclusive unless `shareMode: 'shared'`; close() resets the card so no verified PIN outlives it.
 *
 * @throws PlatformError CARD_READER_NOT_FOUND, CARD_NOT_PRESENT, CARD_PCSC_SERVICE_DOWN, CARD_PCSC_UNAVAILABLE, CARD_PCSC_FAILED
 * @example
 * const card = await openPcscTransport('Virtual PCD 00 00');
 * try { await card.transmit(selectJpki); } finally { await card.close(); }
 */
export async function openPcscTransport(readerName?: string, options: PcscOptions = {}): Promise<CardTransport> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pcsc = await loadPcsc();
  const readers = await inspectReaders(pcsc, timeoutMs);
  const available = readers.map(({ info }) => info.name).join(', ') || 'なし / none';
  const chosen = readerName === undefined
    ? (readers.find(({ info }) => info.cardPresent) ?? readers[0])
    : readers.find(({ info }) => info.name === readerName);
  if (!chosen) {
    const message = readerName === undefined
      ? 'カードリーダーが見つかりません / no card reader found'
      : `カードリーダー「${readerName}」が見つかりません / card reader "${readerName}" not found`;
    throw cardError('CARD_READER_NOT_FOUND', { message, detail: `readers: ${available}` });
  }
  const { info: target, reader } = chosen;
  if (!target.cardPresent) {
    throw cardError('CARD_NOT_PRESENT', {
      message: `カードリーダー「${target.name}」にカードがありません / no card in "${target.name}"`,
      detail: `readers: ${available}`,
    });
  }

  const connectOptions = {
    share_mode: options.shareMode === 'shared' ? reader.SCARD_SHARE_SHARED : reader.SCARD_SHARE_EXCLUSIVE,
    protocol: reader.SCARD_PROTOCOL_T0 | reader.SCARD_PROTOCOL_T1,
  };
  const connect = () => call<number>('SCardConnect', target.name, timeoutMs, (cb) => reader.connect(connectOptions, cb));
  const resetDisconnect = () => call<void>('SCardDisconnect', target.name, timeoutMs, (cb) => reader.disconnect(reader.SCARD_RESET_CARD, (e) => cb(e, undefined)));
  let protocol = await connect();
  let closed = false;

  // pcsclite runs each call on libuv's thread pool: two at once could reach the card in either order.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(operation: () => Promise<T>): Promise<T> => {
    const run = queue.then(() => {
      if (closed) throw cardError('CARD_PCSC_FAILED', { message: 'カードとの接続は閉じられています / the card connection is closed' });
      return operation();
    });
    queue = run.catch(() => undefined);
    return run;
  };

  return {
    description: `PC/SC reader "${target.name}"`,
    transmit: (command) =>
      serial(async () => {
        const response = await call<Buffer>('SCardTransmit', target.name, timeoutMs, (cb) =>
          reader.transmit(Buffer.from(command), MAX_RESPONSE, protocol, cb),
        );
        return Uint8Array.from(response);
      }),
    reset: () =>
      serial(async () => {
        // pcsclite has no SCardReconnect; disconnecting with SCARD_RESET_CARD makes pcscd warm-reset the card.
        await resetDisconnect();
        protocol = await connect();
        const { atr } = (await inspectReader(pcsc, target.name, timeoutMs)).info;
        if (atr === undefined) throw cardError('CARD_NOT_PRESENT', { detail: `no ATR after reset in ${target.name}` });
        return Uint8Array.from(Buffer.from(atr, 'hex'));
      }),
    close: async () => {
      if (closed) return;
      await serial(resetDisconnect).finally(() => {
        closed = true;
      });
    },
  };
}
