// Reads the import CSV (csv-parse) into numbered rows, reporting header and column-count problems.
import { parse } from 'csv-parse';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PlatformError, type Problem } from '../../kernel/errors.ts';
import { registryError } from './errors.ts';
import { RESIDENT_CSV_HEADER, csvRecordToRow } from './resident-csv.ts';
import type { ResidentImportRow } from './import-row.ts';

/** A row with the line it came from (header = line 1). */
export interface NumberedRow {
  line: number;
  row: ResidentImportRow;
}

/** A row that could not even be mapped to fields (wrong column count). */
export interface UnreadableRow {
  line: number;
  problem: Problem;
}

/**
 * Yields each data row of the CSV, or an UnreadableRow for a record with the wrong number of
 * fields. Throws REGISTRY_IMPORT_MALFORMED for a wrong header or broken quoting, which make the
 * rest of the file unreadable.
 */
export async function* parseResidentCsv(input: Readable): AsyncGenerator<NumberedRow | UnreadableRow> {
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true });
  // pipeline (not pipe): an error or abort of the input (a cut-off upload) must reach the parser,
  // or the import would wait forever with its transaction open.
  pipeline(input, parser).catch(() => undefined);
  let headerSeen = false;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = item;
      if (!headerSeen) {
        checkHeader(record, info.lines);
        headerSeen = true;
        continue;
      }
      if (record.length !== RESIDENT_CSV_HEADER.length) {
        yield {
          line: info.lines,
          problem: { line: info.lines, code: 'COLUMN_COUNT', reason: `列数が${record.length}です（${RESIDENT_CSV_HEADER.length}列必要）` },
        };
        continue;
      }
      yield { line: info.lines, row: csvRecordToRow(record) };
    }
  } catch (cause) {
    if (cause instanceof PlatformError) throw cause;
    const line = (cause as { lines?: number }).lines;
    throw registryError('REGISTRY_IMPORT_MALFORMED', {
      detail: `CSVを読み取れません${line ? `（${line}行目付近）` : ''}: ${(cause as Error).message}`,
      problems: [{ ...(line ? { line } : {}), code: 'CSV_SYNTAX', reason: (cause as Error).message }],
      cause,
    });
  }
  if (!headerSeen) {
    throw registryError('REGISTRY_IMPORT_MALFORMED', { detail: 'ファイルが空です（見出し行が必要です）', problems: [{ line: 1, code: 'EMPTY', reason: 'ファイルが空です' }] });
  }
}

function checkHeader(record: string[], line: number): void {
  const got = record.map((h) => h.trim());
  const missing = RESIDENT_CSV_HEADER.filter((h) => !got.includes(h));
  const unknown = got.filter((h) => !RESIDENT_CSV_HEADER.includes(h));
  const sameOrder = got.length === RESIDENT_CSV_HEADER.length && got.every((h, i) => h === RESIDENT_CSV_HEADER[i]);
  if (sameOrder) return;
  const problems: Problem[] = [
    ...missing.map((h) => ({ line, field: h, code: 'COLUMN_MISSING', reason: `列「${h}」がありません` })),
    ...unknown.map((h) => ({ line, field: h, code: 'COLUMN_UNKNOWN', reason: `列「${h}」は定義されていません` })),
  ];
  if (problems.length === 0) problems.push({ line, code: 'COLUMN_ORDER', reason: `列の順序が違います: ${RESIDENT_CSV_HEADER.join(',')}` });
  throw registryError('REGISTRY_IMPORT_MALFORMED', { detail: '見出し行が取込形式と一致しません（docs/registry-import.md）', problems });
}
