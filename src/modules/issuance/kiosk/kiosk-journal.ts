// A kiosk's durable, append-only journal (JSON lines, fsync'd before the step it announces is sent): what a restarted kiosk needs to reconcile with the centre.
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { isProcessAlive } from '../../../kernel/process-alive.ts';

/**
 * The POST steps of docs/issuance.md whose Idempotency-Key the journal keeps. `sessions` is keyed
 * before the session exists, so records name the kiosk's own journey id, not the session.
 */
export type JournalStep = 'sessions' | 'authentication' | 'orders' | 'payment' | 'print-results' | 'end';

/** One copy as the printer reported it (the error is the printer's own words, e.g. 用紙切れ). */
export type CopyResult = { copy: number; printed: true } | { copy: number; printed: false; error: string };

/**
 * One line of the journal. Only what reconciliation needs: ids, copy numbers, yen, keys and the
 * printer's outcome. NOTE: never a PIN, a certificate, a PDF, a name or an individual number —
 * the types leave no field for them, and kioskClient passes none.
 */
export type JournalRecord =
  | { type: 'begin'; journey: string; at: string }
  | { type: 'key'; journey: string; step: JournalStep; key: string; fingerprint: string; at: string }
  | { type: 'session'; journey: string; sessionId: string; at: string }
  | { type: 'authenticated'; journey: string; at: string }
  | { type: 'ordered'; journey: string; orderId: string; copies: number; feePerCopyYen: number | null; totalYen: number | null; at: string }
  | { type: 'paid'; journey: string; paidYen: number; at: string }
  | ({ type: 'copy'; journey: string; at: string } & CopyResult)
  | { type: 'report'; journey: string; key: string; copies: CopyResult[]; at: string }
  | { type: 'confirmed'; journey: string; receiptNo: string; refundedYen: number; at: string }
  | { type: 'ended'; journey: string; at: string }
  | { type: 'abandoned'; journey: string; reason: string; at: string };

/** A record as callers write it: the journal stamps `at`. */
export type JournalInput = JournalRecord extends infer R ? R extends JournalRecord ? Omit<R, 'at'> : never : never;

/** What the journal says about one journey (one kiosk session and its order), folded from its records. */
export interface JournalEntry {
  journey: string;
  sessionId: string | null;
  authenticated: boolean;
  order: { orderId: string; copies: number; feePerCopyYen: number | null; totalYen: number | null } | null;
  paid: boolean;
  /** Copy number → the printer's outcome, as recorded right after it reported. */
  copies: Map<number, CopyResult>;
  /** The last key of each step, with the fingerprint of the body it was sent with. */
  keys: Map<JournalStep, { key: string; fingerprint: string }>;
  /** The print result about to be sent (its key and body): a retry sends exactly this. */
  report: { key: string; copies: CopyResult[] } | null;
  confirmed: { receiptNo: string; refundedYen: number } | null;
  ended: boolean;
  abandoned: string | null;
}

/**
 * Finished: nothing left to do at the centre — abandoned (nothing there to settle), or the session
 * ended and no payment waits for its print result. A session ended after a payment whose print result
 * never got an answer stays unfinished: reconciliation still has to report what was printed.
 */
export function entryFinished(entry: JournalEntry): boolean {
  if (entry.abandoned !== null) return true;
  if (!entry.ended) return false;
  const paymentTried = entry.paid || entry.report !== null || entry.keys.has('payment');
  return entry.order === null || entry.confirmed !== null || !paymentTried;
}

export interface KioskJournal {
  readonly path: string;
  /** Appends one record and fsyncs it before returning: the step it announces may be sent after. */
  append(record: JournalInput): void;
  /**
   * The Idempotency-Key of `step` in `journey`: the one journaled before for the same body (a retry),
   * else a new one, journaled (and fsync'd) before it is returned.
   */
  keyFor(journey: string, step: JournalStep, body: string): string;
  entry(journey: string): JournalEntry | undefined;
  /** The journey that placed `orderId`, if the journal has it. */
  journeyOfOrder(orderId: string): JournalEntry | undefined;
  /** Every journey not finished yet, oldest first. */
  unfinished(): JournalEntry[];
  /** Rewrites the file without the finished journeys (atomically: temp file, fsync, rename); returns how many went. */
  compact(): number;
  /** Closes the file and frees the lock. */
  close(): void;
}

/** FNV-1a (32 bit) of the body's UTF-8 bytes, in hex: tells a retry from a new request without keeping the body. */
export function bodyFingerprint(body: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(body)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** A new Idempotency-Key (docs/issuance.md: 8–128 of `A–Z a–z 0–9 - _ : .`). */
export function newIdempotencyKey(): string {
  return `kiosk-${randomUUID()}`;
}

/**
 * Folds records into journeys, in the order each journey first appears. A later record of the same
 * kind wins (a new key for a step, a new report after a refused one).
 */
export function foldJournal(records: readonly JournalRecord[]): Map<string, JournalEntry> {
  const entries = new Map<string, JournalEntry>();
  for (const record of records) applyRecord(entries, record);
  return entries;
}

function applyRecord(entries: Map<string, JournalEntry>, record: JournalRecord): void {
  let entry = entries.get(record.journey);
  if (!entry) {
    entry = {
      journey: record.journey, sessionId: null, authenticated: false, order: null, paid: false, copies: new Map(), keys: new Map(),
      report: null, confirmed: null, ended: false, abandoned: null,
    };
    entries.set(record.journey, entry);
  }
  switch (record.type) {
    case 'begin': break;
    case 'key': entry.keys.set(record.step, { key: record.key, fingerprint: record.fingerprint }); break;
    case 'session': entry.sessionId = record.sessionId; break;
    case 'authenticated': entry.authenticated = true; break;
    case 'ordered': entry.order = { orderId: record.orderId, copies: record.copies, feePerCopyYen: record.feePerCopyYen, totalYen: record.totalYen }; break;
    case 'paid': entry.paid = true; break;
    case 'copy': entry.copies.set(record.copy, record.printed ? { copy: record.copy, printed: true } : { copy: record.copy, printed: false, error: record.error }); break;
    case 'report': entry.report = { key: record.key, copies: record.copies }; break;
    case 'confirmed': entry.confirmed = { receiptNo: record.receiptNo, refundedYen: record.refundedYen }; break;
    case 'ended': entry.ended = true; break;
    case 'abandoned': entry.abandoned = record.reason; break;
  }
}

const RECORD_TYPES = new Set(['begin', 'key', 'session', 'authenticated', 'ordered', 'paid', 'copy', 'report', 'confirmed', 'ended', 'abandoned']);

/**
 * Reads a journal file's records. A line that does not parse (the torn last line of a process killed
 * mid-write) is skipped; a missing file is an empty journal.
 */
export function readJournalRecords(path: string): JournalRecord[] {
  if (!existsSync(path)) return [];
  const records: JournalRecord[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const parsed = JSON.parse(line) as JournalRecord;
      if (parsed && typeof parsed === 'object' && RECORD_TYPES.has(parsed.type) && typeof parsed.journey === 'string') records.push(parsed);
    } catch {
      // A torn line: the step it announced was never sent.
    }
  }
  return records;
}

/**
 * Opens (or creates) a kiosk's journal and takes its lock (`<file>.lock`, holding the pid): one kiosk
 * process per journal, so nobody reconciles a journey another live process is still walking. A lock
 * left by a dead process is taken over.
 *
 * @example
 * const journal = openKioskJournal('.myna-data/kiosk/journal.jsonl');
 * const kiosk = kioskClient(url, credential, { journal });
 * await kiosk.reconcile();
 */
export function openKioskJournal(path: string): KioskJournal {
  mkdirSync(dirname(path), { recursive: true });
  const lockPath = `${path}.lock`;
  takeLock(lockPath);
  let fd: number;
  let entries: Map<string, JournalEntry>;
  try {
    const created = !existsSync(path);
    fd = openSync(path, 'a+');
    if (created) fsyncDirectory(dirname(path));
    dropTornTail(path, fd);
    entries = foldJournal(readJournalRecords(path));
  } catch (error) {
    rmSync(lockPath, { force: true });
    throw error;
  }

  const journal: KioskJournal = {
    path,
    append(input) {
      const record = { ...input, at: new Date().toISOString() } as JournalRecord;
      writeSync(fd, `${JSON.stringify(record)}\n`);
      fsyncSync(fd);
      applyRecord(entries, record);
    },
    keyFor(journey, step, body) {
      const fingerprint = bodyFingerprint(body);
      const known = entries.get(journey)?.keys.get(step);
      if (known && known.fingerprint === fingerprint) return known.key;
      const key = newIdempotencyKey();
      journal.append({ type: 'key', journey, step, key, fingerprint });
      return key;
    },
    entry: (journey) => entries.get(journey),
    journeyOfOrder: (orderId) => [...entries.values()].find((e) => e.order?.orderId === orderId),
    unfinished: () => [...entries.values()].filter((e) => !entryFinished(e)),
    compact() {
      const records = readJournalRecords(path);
      const keep = new Set(journal.unfinished().map((e) => e.journey));
      const kept = records.filter((r) => keep.has(r.journey));
      const dropped = entries.size - keep.size;
      const temp = `${path}.tmp`;
      writeFileSync(temp, kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
      const tempFd = openSync(temp, 'r+');
      fsyncSync(tempFd);
      closeSync(tempFd);
      closeSync(fd);
      renameSync(temp, path);
      fsyncDirectory(dirname(path));
      fd = openSync(path, 'a+');
      entries = foldJournal(kept);
      return dropped;
    },
    close() {
      closeSync(fd);
      rmSync(lockPath, { force: true });
    },
  };
  return journal;
}

/** A process killed mid-append leaves a last line without its newline: cut it, so the next record starts on a line of its own. */
function dropTornTail(path: string, fd: number): void {
  const text = readFileSync(path);
  if (text.length === 0 || text[text.length - 1] === 0x0a) return;
  const lastNewline = text.lastIndexOf(0x0a);
  ftruncateSync(fd, lastNewline + 1);
  fsyncSync(fd);
}

function takeLock(lockPath: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isProcessAlive(holder)) {
        throw new Error(`端末の記録ファイルは別のプロセス（pid ${holder}）が使用中です: ${lockPath}`);
      }
      // Left by a process that died (or by this one): take it over.
      unlinkSync(lockPath);
    }
  }
  throw new Error(`端末の記録ファイルのロックを取得できません: ${lockPath}`);
}

/** The file's name in its folder is durable only once the folder itself is synced. */
function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems cannot sync a directory; the file's own fsync still holds its content.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
