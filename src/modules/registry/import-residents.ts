// Bulk registration: validates every row, numbers the people (住民票コード + 個人番号) and loads them
// with COPY, all in one transaction. Any problem anywhere rejects the whole input and nothing stays.
import { randomUUID } from 'node:crypto';
import type { Database, BulkTransaction } from '../../kernel/db/database.ts';
import type { Problem } from '../../kernel/errors.ts';
import type { Clock } from '../../kernel/clock.ts';
import { jstDate } from '../../kernel/clock.ts';
import type { AuditLog } from '../../kernel/audit/audit-log.ts';
import type { ImportSummary, ProgressListener, StaffPrincipal } from './contract.ts';
import type { ResidentImportRow } from './import-row.ts';
import type { NumberingKeys } from './numbering.ts';
import { residentCodesFromSequence, individualNumbersFor } from './numbering.ts';
import { validateResidentRow } from './validate-resident-row.ts';
import { registryError } from './errors.ts';
import { reserveResidentCodeSequence } from './load-numbering-keys.ts';
import { requireValidLgCode } from './municipalities.ts';
import { RESIDENT_COPY_COLUMNS, HOUSEHOLD_COPY_COLUMNS } from './db/resident-mapping.ts';
import type { RegistryDb } from './db/tables.ts';

/** An input row: a row to register, or a line that could not be read at all. */
export type ImportItem =
  | { line: number; row: ResidentImportRow; residentId?: string }
  | { line: number; problem: Problem };

/** A registered person as the import assigned them, for callers that attach more data (the seed). */
export interface ImportedResident {
  line: number;
  residentId: string;
  residentCode: string;
  row: ResidentImportRow;
}

export interface ImportOptions {
  lgCode: string;
  actor: StaffPrincipal | { system: string };
  onProgress?: ProgressListener;
  totalHint?: number;
  /** Maps a row field to the name shown in problems (CSV column names for CSV input). */
  fieldName?: (field: string) => string;
  /** Runs inside the transaction after each chunk is loaded (e.g. to add seals and tax rows). */
  afterChunk?: (tx: BulkTransaction, imported: readonly ImportedResident[]) => Promise<void>;
  /** Runs inside the transaction after all rows, before commit. */
  beforeCommit?: (tx: BulkTransaction) => Promise<void>;
}

export interface ImportDeps {
  database: Database;
  clock: Clock;
  audit: AuditLog;
  keys: NumberingKeys;
}

/** Rows per COPY round: large enough to amortise round trips, small enough to bound memory. */
const CHUNK = 20_000;
/** Problems kept in the error; the count of all of them is always given. */
const MAX_PROBLEMS = 10_000;

interface HouseholdState {
  key: string;
  id: string;
  heads: number;
  firstLine: number;
  address: string;
  postalCode: string;
  written: boolean;
}

/**
 * Imports residents into one municipality.
 *
 * @throws REGISTRY_MUNICIPALITY_NOT_FOUND, REGISTRY_IMPORT_INVALID (with every problem), or what the source throws
 */
export async function importResidents(deps: ImportDeps, items: AsyncIterable<ImportItem> | Iterable<ImportItem>, options: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const now = deps.clock.now();
  // Formatted once: COPY would otherwise format the same instant twice a row.
  const nowText = now.toISOString();
  const today = jstDate(now);
  const fieldName = options.fieldName ?? ((f: string) => f);
  const households = new Map<string, HouseholdState>();
  const problems: Problem[] = [];
  let problemCount = 0;
  const addProblem = (p: Problem) => {
    problemCount++;
    if (problems.length < MAX_PROBLEMS) problems.push({ ...p, ...(p.field ? { field: fieldName(p.field) } : {}) });
  };

  requireValidLgCode(options.lgCode);
  return deps.database.bulkTransaction(async (tx) => {
    const db = tx.db as RegistryDb;
    const municipality = await db.selectFrom('registry.municipalities').select('lg_code').where('lg_code', '=', options.lgCode).executeTakeFirst();
    if (!municipality) throw registryError('REGISTRY_MUNICIPALITY_NOT_FOUND', { detail: `地方公共団体コード ${options.lgCode}` });

    let chunk: { line: number; row: ResidentImportRow; residentId: string; household: HouseholdState }[] = [];
    let read = 0;
    let residents = 0;
    let firstSequence = -1;

    // While PostgreSQL loads one chunk, this process parses, checks and numbers the next: the
    // COPY of chunk N is left running (`loading`) and awaited only before chunk N+1 needs the
    // connection. Its failure surfaces there, or at the end.
    let loading: Promise<void> = Promise.resolve();

    const flush = async () => {
      if (chunk.length === 0) return;
      const rows = chunk;
      chunk = [];
      await loading;
      const newHouseholds = [...new Set(rows.map((r) => r.household))].filter((h) => !h.written);
      const taken = await existingHouseholdNumbers(db, options.lgCode, newHouseholds.map((h) => h.key));
      for (const h of newHouseholds) {
        if (taken.has(h.key)) addProblem({ line: h.firstLine, field: 'householdKey', code: 'HOUSEHOLD_EXISTS', reason: `世帯キー「${h.key}」の世帯は既に登録されています` });
      }
      if (problemCount > 0) return;
      const first = await reserveResidentCodeSequence(db, rows.length);
      if (firstSequence < 0) firstSequence = first;
      const codes = residentCodesFromSequence(deps.keys, first, rows.length);
      const numbers = individualNumbersFor(deps.keys, codes, 0);
      for (const h of newHouseholds) h.written = true;
      residents += rows.length;
      loading = (async () => {
        await tx.copyInto('registry.households', HOUSEHOLD_COPY_COLUMNS,
          newHouseholds.map((h) => [h.id, options.lgCode, h.key, h.address, h.postalCode, nowText]));
        await tx.copyInto('registry.residents', RESIDENT_COPY_COLUMNS, rows.map(({ row, residentId, household }, i) => [
          residentId, options.lgCode, codes[i], numbers[i], 0, household.id, row.relationship,
          row.familyName, row.givenName, row.familyNameKana, row.givenNameKana, row.birthDate, row.sex, row.postalCode, row.address,
          row.honseki, row.hittosha, row.nationality, row.residenceStatus, row.residenceExpiry, row.residenceCardNumber, row.aliasName,
          'active', row.registeredOn, 1, nowText, nowText,
        ]));
        if (options.afterChunk) {
          await options.afterChunk(tx, rows.map((r, i) => ({ line: r.line, residentId: r.residentId, residentCode: codes[i]!, row: r.row })));
        }
      })();
      // Handled when awaited; this only keeps an early failure from being reported as unhandled.
      loading.catch(() => undefined);
    };

    for await (const item of items) {
      read++;
      if ('problem' in item) {
        addProblem(item.problem);
      } else {
        const rowProblems = validateResidentRow(item.row, item.line, today);
        rowProblems.forEach(addProblem);
        const household = trackHousehold(households, item, addProblem);
        if (rowProblems.length === 0 && problemCount === 0 && household) {
          chunk.push({ line: item.line, row: item.row, residentId: item.residentId ?? randomUUID(), household });
          if (chunk.length >= CHUNK) await flush();
        }
      }
      if (read % 1000 === 0) {
        options.onProgress?.(read, options.totalHint);
        // Let the running COPY's socket events in: parsing from memory otherwise runs on
        // microtasks alone and starves the load it should overlap with.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    await flush();
    await loading;
    options.onProgress?.(read, options.totalHint ?? read);

    for (const [key, h] of households) {
      if (h.heads === 0) addProblem({ line: h.firstLine, field: 'relationship', code: 'HOUSEHOLD_HEAD_MISSING', reason: `世帯「${key}」に世帯主がいません` });
    }
    if (read === 0) addProblem({ line: 2, code: 'NO_ROWS', reason: 'データ行がありません' });
    if (problemCount > 0) {
      throw registryError('REGISTRY_IMPORT_INVALID', {
        detail: `${problemCount}件の誤りがあります${problemCount > problems.length ? `（先頭${problems.length}件を表示）` : ''}。何も取り込んでいません。`,
        problems: problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)),
      });
    }
    await options.beforeCommit?.(tx);
    const actor = 'system' in options.actor
      ? { kind: 'system' as const, id: options.actor.system, name: options.actor.system }
      : { kind: 'staff' as const, id: options.actor.apiKeyId, name: options.actor.staffName };
    await deps.audit.recordIn(tx.db, {
      actor, lgCode: options.lgCode, action: 'registry.residents.import',
      detail: { residents, households: households.size, firstResidentCodeSequence: firstSequence },
    });
    return {
      lgCode: options.lgCode,
      residents,
      households: households.size,
      firstResidentCodeSequence: firstSequence,
      elapsedMs: Math.round(performance.now() - started),
    };
  });
}

/** Records the row in its household; reports a second head or a member at another address. */
function trackHousehold(households: Map<string, HouseholdState>, item: { line: number; row: ResidentImportRow }, addProblem: (p: Problem) => void): HouseholdState | undefined {
  const { row, line } = item;
  if (!row.householdKey) return undefined;
  let h = households.get(row.householdKey);
  if (!h) {
    h = { key: row.householdKey, id: randomUUID(), heads: 0, firstLine: line, address: row.address, postalCode: row.postalCode, written: false };
    households.set(row.householdKey, h);
  } else if (h.address !== row.address) {
    addProblem({ line, field: 'address', code: 'HOUSEHOLD_ADDRESS_MISMATCH', reason: `世帯「${row.householdKey}」の他の世帯員（${h.firstLine}行目）と住所が異なります` });
  }
  if (row.relationship === '世帯主') {
    h.heads++;
    if (h.heads > 1) addProblem({ line, field: 'relationship', code: 'HOUSEHOLD_HEAD_DUPLICATE', reason: `世帯「${row.householdKey}」に世帯主が複数います` });
  }
  return h;
}

async function existingHouseholdNumbers(db: RegistryDb, lgCode: string, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.selectFrom('registry.households').select('household_no')
    .where('lg_code', '=', lgCode).where('household_no', 'in', keys).execute();
  return new Set(rows.map((r) => r.household_no));
}
