// COPY FROM STDIN for both engines: pg-copy-streams on PostgreSQL, COPY FROM '/dev/blob' on PGlite.
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Transaction as PGliteTransaction } from '@electric-sql/pglite';
import { once } from 'node:events';

/** Rows to copy: arrays of values in column order, possibly produced lazily. */
export type CopySource = Iterable<readonly unknown[]> | AsyncIterable<readonly unknown[]>;

/** One value in PostgreSQL's COPY text format (\N is NULL; backslash, tab and newlines escaped). */
export function copyTextValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'string') return escapeCopy(value);
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `\\\\x${Buffer.from(value).toString('hex')}`;
  return escapeCopy(JSON.stringify(value));
}

function escapeCopy(s: string): string {
  // Fast path: most values need no escaping (a char scan is cheaper than a regex per value).
  let plain = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 92 || c === 9 || c === 10 || c === 13) { plain = false; break; }
  }
  if (plain) return s;
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** One row as a COPY text line. */
export function copyTextLine(row: readonly unknown[]): string {
  let line = '';
  for (let i = 0; i < row.length; i++) line += (i === 0 ? '' : '\t') + copyTextValue(row[i]);
  return line + '\n';
}

function copyStatement(table: string, columns: readonly string[], source: string): string {
  const cols = columns.map((c) => `"${c}"`).join(', ');
  return `COPY ${table} (${cols}) FROM ${source}`;
}

/** Streams rows into `table` through pg-copy-streams on a checked-out client. */
export async function copyIntoPg(client: pg.PoolClient, table: string, columns: readonly string[], rows: CopySource): Promise<number> {
  const stream = client.query(copyFrom(copyStatement(table, columns, 'STDIN')));
  const finished = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  let count = 0;
  let chunk = '';
  for await (const row of rows) {
    chunk += copyTextLine(row);
    count++;
    // Batch lines into ~256 KiB writes: one write per row costs more than the COPY itself.
    if (chunk.length > 262_144) {
      if (!stream.write(chunk)) await Promise.race([once(stream, 'drain'), finished]);
      chunk = '';
    }
  }
  if (chunk) stream.write(chunk);
  stream.end();
  await finished;
  return count;
}

/** Loads rows into `table` through PGlite's virtual /dev/blob, in slices to bound memory. */
export async function copyIntoPglite(tx: PGliteTransaction, table: string, columns: readonly string[], rows: CopySource): Promise<number> {
  const statement = copyStatement(table, columns, `'/dev/blob'`);
  let count = 0;
  let parts: string[] = [];
  let size = 0;
  const flush = async () => {
    if (parts.length === 0) return;
    await tx.query(statement, [], { blob: new Blob(parts) });
    parts = [];
    size = 0;
  };
  for await (const row of rows) {
    const line = copyTextLine(row);
    parts.push(line);
    size += line.length;
    count++;
    if (size > 16 * 1024 * 1024) await flush();
  }
  await flush();
  return count;
}
