// Checks one resident row field by field, as an ordered list of small named checks, and collects every problem.
import type { Problem } from '../../kernel/errors.ts';
import { isIsoDate } from '../../kernel/clock.ts';
import { RELATIONSHIPS, type ResidentImportRow } from './import-row.ts';

const RELATIONSHIP_SET: ReadonlySet<string> = new Set(RELATIONSHIPS);
/** Full-width katakana, the prolonged sound mark, middle dot (foreign names) and spaces. */
const KATAKANA = /^[\u30A0-\u30FF\u3000 ]+$/;
const CONTROL = /[\u0000-\u001F\u007F]/;
const HOUSEHOLD_KEY = /^[A-Za-z0-9_-]{1,20}$/;
const RESIDENCE_CARD = /^[A-Z]{2}\d{8}[A-Z]{2}$/;
/** 在留資格 whose holders have no expiry date. */
const NO_EXPIRY_STATUSES = new Set(['永住者', '特別永住者']);

type Check = (row: ResidentImportRow, today: string, report: (field: string, code: string, reason: string) => void) => void;

function text(field: keyof ResidentImportRow, label: string, max: number): Check {
  return (row, _today, report) => {
    const value = row[field];
    if (typeof value !== 'string' || value === '') return report(field, 'REQUIRED', `${label}は必須です`);
    if (value.length > max) report(field, 'TOO_LONG', `${label}は${max}文字以内です`);
    if (CONTROL.test(value)) report(field, 'CONTROL_CHAR', `${label}に制御文字が含まれています`);
  };
}

function kana(field: 'familyNameKana' | 'givenNameKana', label: string): Check {
  return (row, _today, report) => {
    const value = row[field];
    if (!value) return report(field, 'REQUIRED', `${label}は必須です`);
    if (!KATAKANA.test(value) || value.length > 60) report(field, 'NOT_KATAKANA', `${label}は全角カタカナ60文字以内で記入してください`);
  };
}

function date(field: 'birthDate' | 'registeredOn' | 'residenceExpiry', label: string, options: { past: boolean }): Check {
  return (row, today, report) => {
    const value = row[field];
    if (value === null || value === undefined || value === '') return;
    if (!isIsoDate(value)) return report(field, 'DATE_INVALID', `${label}「${value}」は存在しない日付か形式が誤りです（YYYY-MM-DD）`);
    if (options.past && value > today) report(field, 'DATE_IN_FUTURE', `${label}が未来の日付です`);
  };
}

/** The checks, in the order a clerk would read the row. */
const CHECKS: readonly Check[] = [
  (row, _t, report) => {
    if (!HOUSEHOLD_KEY.test(row.householdKey ?? '')) report('householdKey', 'HOUSEHOLD_KEY_INVALID', '世帯キーは英数字・-_の20文字以内です');
  },
  (row, _t, report) => {
    if (!RELATIONSHIP_SET.has(row.relationship)) report('relationship', 'RELATIONSHIP_UNKNOWN', `続柄「${row.relationship ?? ''}」は使用できません`);
  },
  text('familyName', '氏', 30),
  text('givenName', '名', 30),
  kana('familyNameKana', '氏のフリガナ'),
  kana('givenNameKana', '名のフリガナ'),
  (row, _t, report) => { if (!row.birthDate) report('birthDate', 'REQUIRED', '生年月日は必須です'); },
  date('birthDate', '生年月日', { past: true }),
  (row, _t, report) => {
    if (row.sex !== 'male' && row.sex !== 'female') report('sex', 'SEX_INVALID', '性別は「男」または「女」です');
  },
  (row, _t, report) => {
    if (!/^\d{7}$/.test(row.postalCode ?? '')) report('postalCode', 'POSTAL_CODE_INVALID', '郵便番号は7桁の数字です');
  },
  text('address', '住所', 200),
  (row, _t, report) => {
    const japanese = row.nationality === null;
    if (japanese && !row.honseki) report('honseki', 'REQUIRED', '日本人住民は本籍が必須です');
    if (japanese && !row.hittosha) report('hittosha', 'REQUIRED', '日本人住民は筆頭者が必須です');
    if (!japanese && (row.honseki || row.hittosha)) report('honseki', 'FOREIGN_WITH_HONSEKI', '外国人住民に本籍・筆頭者は記載しません');
    if ((row.honseki?.length ?? 0) > 200) report('honseki', 'TOO_LONG', '本籍は200文字以内です');
    if ((row.hittosha?.length ?? 0) > 60) report('hittosha', 'TOO_LONG', '筆頭者は60文字以内です');
  },
  (row, _t, report) => {
    if (row.nationality === null) {
      if (row.residenceStatus || row.residenceExpiry || row.residenceCardNumber) {
        report('nationality', 'RESIDENCE_FIELDS_WITHOUT_NATIONALITY', '在留資格等は外国人住民（国籍あり）にのみ記載します');
      }
      return;
    }
    if (!row.residenceStatus) report('residenceStatus', 'REQUIRED', '外国人住民は在留資格が必須です');
    if (!row.residenceCardNumber || !RESIDENCE_CARD.test(row.residenceCardNumber)) {
      report('residenceCardNumber', 'RESIDENCE_CARD_INVALID', '在留カード等の番号は英字2桁＋数字8桁＋英字2桁です');
    }
    const needsExpiry = !NO_EXPIRY_STATUSES.has(row.residenceStatus ?? '');
    if (needsExpiry && !row.residenceExpiry) report('residenceExpiry', 'REQUIRED', '在留期間の満了日が必須です');
    if (!needsExpiry && row.residenceExpiry) report('residenceExpiry', 'NOT_APPLICABLE', '永住者・特別永住者に在留期間の満了日はありません');
  },
  date('residenceExpiry', '在留期間の満了日', { past: false }),
  (row, _t, report) => { if (!row.registeredOn) report('registeredOn', 'REQUIRED', '住民となった年月日は必須です'); },
  date('registeredOn', '住民となった年月日', { past: true }),
  (row, _t, report) => {
    if (row.registeredOn && row.birthDate && isIsoDate(row.registeredOn) && isIsoDate(row.birthDate) && row.registeredOn < row.birthDate) {
      report('registeredOn', 'BEFORE_BIRTH', '住民となった年月日が生年月日より前です');
    }
  },
  (row, _t, report) => {
    if (row.aliasName && (row.aliasName.length > 60 || CONTROL.test(row.aliasName))) report('aliasName', 'TOO_LONG', '通称は60文字以内です');
  },
];

/**
 * All problems of one row (empty when the row is valid).
 *
 * @param line the row's line in its file (header = 1), or its index for other sources
 * @param today `YYYY-MM-DD` in JST; dates after it are in the future
 */
export function validateResidentRow(row: ResidentImportRow, line: number, today: string): Problem[] {
  const problems: Problem[] = [];
  const report = (field: string, code: string, reason: string) => problems.push({ line, field, code, reason });
  for (const check of CHECKS) check(row, today, report);
  return problems;
}
