// Small named checks shared by the 異動 use cases (dates, free text, the resulting 住民票), collected into one Problem list.
import type { Problem } from '../../kernel/errors.ts';
import { isIsoDate } from '../../kernel/clock.ts';
import type { NewPersonInput } from './contract.ts';
import type { ResidentImportRow } from './import-row.ts';
import { toResidentRecord } from './db/resident-mapping.ts';
import type { ResidentRow } from './db/tables.ts';
import { validateResidentRow } from './validate-resident-row.ts';
import { registryError } from './errors.ts';

/** Adds one problem: the field (as the caller named it), a stable code, a Japanese reason. */
export type Report = (field: string, code: string, reason: string) => void;

const CONTROL = /[\u0000-\u001F\u007F]/;
const TWELVE_DIGITS = /(?<![0-9０-９])[0-9０-９]{12}(?![0-9０-９])/;
/**
 * validateResidentRow needs a household key; the use cases place people into households by id,
 * so a constant that passes its format check stands in.
 */
const PLACEHOLDER_HOUSEHOLD_KEY = 'current';

/** A problem list and the function that fills it. */
export function collectProblems(): { problems: Problem[]; report: Report } {
  const problems: Problem[] = [];
  return { problems, report: (field, code, reason) => problems.push({ field, code, reason }) };
}

/** Codes of validateResidentRow that are about the order of dates, not about the person. */
const DATE_ORDER_CODES = new Set(['BEFORE_BIRTH']);

/**
 * Throws when any problem was found: REGISTRY_DATE_INVALID when every problem is about a date
 * (codes DATE_*, BEFORE_BIRTH), otherwise REGISTRY_RESIDENT_INVALID, always with the whole list.
 */
export function throwIfProblems(problems: readonly Problem[]): void {
  if (problems.length === 0) return;
  const onlyDates = problems.every((p) => p.code !== undefined && (p.code.startsWith('DATE_') || DATE_ORDER_CODES.has(p.code)));
  throw registryError(onlyDates ? 'REGISTRY_DATE_INVALID' : 'REGISTRY_RESIDENT_INVALID', { detail: `${problems.length}件の誤りがあります（problems を参照）`, problems });
}

/** `YYYY-MM-DD` plus `days` calendar days. */
export function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * An event date (異動日): a real `YYYY-MM-DD`, not after `latest` (today unless a later limit
 * applies, e.g. 転出予定日) and not before `earliest` when given.
 * Returns true when the date itself is usable for further comparisons.
 */
export function checkDate(
  report: Report,
  field: string,
  label: string,
  value: unknown,
  limits: { latest: string; latestReason?: string; earliest?: { date: string; reason: string } },
): boolean {
  if (typeof value !== 'string' || value === '') {
    report(field, 'DATE_REQUIRED', `${label}は必須です`);
    return false;
  }
  if (!isIsoDate(value)) {
    report(field, 'DATE_INVALID', `${label}は存在する日付をYYYY-MM-DD形式で指定してください`);
    return false;
  }
  if (value > limits.latest) {
    report(field, 'DATE_IN_FUTURE', limits.latestReason ?? `${label}が未来の日付です`);
  }
  if (limits.earliest && value < limits.earliest.date) report(field, 'DATE_TOO_EARLY', limits.earliest.reason);
  return true;
}

/** Required free text of at most `max` characters without control characters (reasons, 転出先). */
export function checkText(report: Report, field: string, label: string, value: unknown, max: number): void {
  if (typeof value !== 'string' || value.trim() === '') return report(field, 'REQUIRED', `${label}は必須です`);
  if (value.length > max) report(field, 'TOO_LONG', `${label}は${max}文字以内です`);
  if (CONTROL.test(value)) report(field, 'CONTROL_CHAR', `${label}に制御文字が含まれています`);
  // Free text ends up in history, notes and logs, where an individual number must never be (番号法).
  if (TWELVE_DIGITS.test(value)) report(field, 'CONTAINS_NUMBER', `${label}に個人番号と思われる12桁の数字を含めないでください`);
}

/** Optional fields of a person may arrive as undefined from callers; the register stores null. */
export function normalisePerson(person: NewPersonInput): NewPersonInput {
  return {
    ...person,
    honseki: person.honseki ?? null,
    hittosha: person.hittosha ?? null,
    nationality: person.nationality ?? null,
    residenceStatus: person.residenceStatus ?? null,
    residenceExpiry: person.residenceExpiry ?? null,
    residenceCardNumber: person.residenceCardNumber ?? null,
    aliasName: person.aliasName ?? null,
  };
}

/** A stored resident as the row shape validateResidentRow checks. */
export function residentAsImportRow(row: ResidentRow): ResidentImportRow {
  const r = toResidentRecord({ ...row, household_no: PLACEHOLDER_HOUSEHOLD_KEY });
  return {
    householdKey: PLACEHOLDER_HOUSEHOLD_KEY, relationship: r.relationship, familyName: r.familyName, givenName: r.givenName,
    familyNameKana: r.familyNameKana, givenNameKana: r.givenNameKana, birthDate: r.birthDate, sex: r.sex,
    postalCode: r.postalCode, address: r.address, honseki: r.honseki, hittosha: r.hittosha, nationality: r.nationality,
    residenceStatus: r.residenceStatus, residenceExpiry: r.residenceExpiry, residenceCardNumber: r.residenceCardNumber,
    aliasName: r.aliasName, registeredOn: r.registeredOn,
  };
}

/** A new person, at a place, from a date, as the row shape validateResidentRow checks. */
export function personAsImportRow(person: NewPersonInput, place: { address: string; postalCode: string }, registeredOn: string): ResidentImportRow {
  return { householdKey: PLACEHOLDER_HOUSEHOLD_KEY, ...normalisePerson(person), postalCode: place.postalCode, address: place.address, registeredOn };
}

/**
 * Runs the import validation on the 住民票 a change would produce, so a birth, a 転入 or a
 * correction obeys exactly the rules of the bulk import. `fieldNames` renames row fields to the
 * caller's input names (`familyName` → `person.familyName`); a field mapped to null is dropped
 * (e.g. registeredOn on a birth, where it only mirrors the birth date).
 */
export function checkResultingRow(report: Report, row: ResidentImportRow, today: string, fieldNames: (field: string) => string | null): void {
  for (const problem of validateResidentRow(row, 0, today)) {
    const field = fieldNames(problem.field ?? '');
    if (field === null) continue;
    report(field, problem.code ?? 'INVALID', problem.reason);
  }
}
