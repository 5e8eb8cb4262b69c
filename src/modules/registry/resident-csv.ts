// The bulk-import CSV format (docs/registry-import.md): its columns and the mapping of one CSV record to a ResidentImportRow.
import type { ResidentImportRow } from './import-row.ts';

/** A column of the import CSV, in file order. */
export interface CsvColumn {
  readonly name: string;
  readonly key: keyof ResidentImportRow;
  readonly required: boolean;
  readonly description: string;
}

/** The columns of the import CSV (UTF-8, header line required, RFC 4180 quoting). */
export const RESIDENT_CSV_COLUMNS: readonly CsvColumn[] = [
  { name: 'household_key', key: 'householdKey', required: true, description: '世帯キー。同じ値の行が一つの世帯になり、取込後の世帯番号になる（英数字・-_、20文字以内）' },
  { name: 'relationship', key: 'relationship', required: true, description: '続柄（世帯主, 妻, 夫, 子, 父, 母, 孫, 同居人 …）。各世帯にちょうど1人の世帯主' },
  { name: 'family_name', key: 'familyName', required: true, description: '氏' },
  { name: 'given_name', key: 'givenName', required: true, description: '名' },
  { name: 'family_name_kana', key: 'familyNameKana', required: true, description: '氏のフリガナ（全角カタカナ）' },
  { name: 'given_name_kana', key: 'givenNameKana', required: true, description: '名のフリガナ（全角カタカナ）' },
  { name: 'birth_date', key: 'birthDate', required: true, description: '生年月日（YYYY-MM-DD）' },
  { name: 'sex', key: 'sex', required: true, description: '性別（男 / 女）' },
  { name: 'postal_code', key: 'postalCode', required: true, description: '郵便番号（7桁、ハイフン可）' },
  { name: 'address', key: 'address', required: true, description: '住所（世帯内で同一）' },
  { name: 'honseki', key: 'honseki', required: false, description: '本籍（日本人は必須、外国人住民は空欄）' },
  { name: 'hittosha', key: 'hittosha', required: false, description: '筆頭者の氏名（日本人は必須、外国人住民は空欄）' },
  { name: 'nationality', key: 'nationality', required: false, description: '国籍・地域（外国人住民のみ。空欄は日本人）' },
  { name: 'residence_status', key: 'residenceStatus', required: false, description: '在留資格（外国人住民は必須）' },
  { name: 'residence_expiry', key: 'residenceExpiry', required: false, description: '在留期間の満了日（YYYY-MM-DD。永住者・特別永住者は空欄）' },
  { name: 'residence_card_number', key: 'residenceCardNumber', required: false, description: '在留カード等の番号（英字2桁＋数字8桁＋英字2桁）' },
  { name: 'alias_name', key: 'aliasName', required: false, description: '通称（任意）' },
  { name: 'registered_on', key: 'registeredOn', required: true, description: '住民となった年月日（YYYY-MM-DD）' },
];

export const RESIDENT_CSV_HEADER = RESIDENT_CSV_COLUMNS.map((c) => c.name);

const SEX_FROM_CSV: Record<string, 'male' | 'female'> = { '男': 'male', '女': 'female' };
const SEX_TO_CSV = { male: '男', female: '女' } as const;

/**
 * Maps one CSV record (already split into fields, in header order) to an import row. Values are
 * trimmed; empty optional values become null. Invalid values are kept as they are for the
 * validator to report (an unknown sex stays as its text).
 */
export function csvRecordToRow(fields: readonly string[]): ResidentImportRow {
  const row: Record<string, unknown> = {};
  RESIDENT_CSV_COLUMNS.forEach((column, i) => {
    const value = (fields[i] ?? '').trim();
    if (column.key === 'sex') row[column.key] = SEX_FROM_CSV[value] ?? value;
    else if (column.key === 'postalCode') row[column.key] = value.replace('-', '');
    else row[column.key] = value === '' && !column.required ? null : value;
  });
  return row as unknown as ResidentImportRow;
}

/** One import row as CSV fields (for exports, the seed's CSV output and the benchmark). */
export function rowToCsvFields(row: ResidentImportRow): string[] {
  return RESIDENT_CSV_COLUMNS.map((column) => {
    const value = row[column.key];
    if (column.key === 'sex') return SEX_TO_CSV[value as 'male' | 'female'];
    return value === null ? '' : String(value);
  });
}

/** RFC 4180 quoting of one line. */
export function toCsvLine(fields: readonly string[]): string {
  return fields.map((f) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',') + '\n';
}
