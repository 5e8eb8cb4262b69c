// Check digits of the four identifier kinds the platform issues or accepts (docs: shared/spec/identifiers.md).
import { kernelError } from '../errors.ts';

/** Identifier kinds understood by {@link makeId} and {@link checkId}. */
export type IdKind = 'my-number' | 'corporate' | 'lg-code' | 'resident-code';

/** Every {@link IdKind}, in the order the CLI lists them. */
export const ID_KINDS: readonly IdKind[] = ['my-number', 'corporate', 'lg-code', 'resident-code'];

/** Narrows user input (a CLI flag, a query parameter) to an {@link IdKind}. */
export function isIdKind(value: string): value is IdKind {
  return (ID_KINDS as readonly string[]).includes(value);
}

/** Result of {@link checkId}; `reason` is Japanese first, English after " / ", and never echoes the input. */
export type IdCheckResult =
  | { valid: true }
  | { valid: false; reason: string; code: 'LENGTH' | 'NOT_DIGITS' | 'CHECK_DIGIT' };

interface KindRule {
  /** Names for messages. */
  readonly ja: string;
  readonly en: string;
  readonly baseLength: number;
  readonly checkDigit: (base: string) => number;
  /** 法人番号 writes its check digit in front; the others append it. */
  readonly checkDigitFirst: boolean;
}

const RULES: Readonly<Record<IdKind, KindRule>> = {
  'my-number': { ja: '個人番号', en: 'individual number', baseLength: 11, checkDigit: individualNumberCheckDigit, checkDigitFirst: false },
  'resident-code': { ja: '住民票コード', en: 'resident record code', baseLength: 10, checkDigit: residentCodeCheckDigit, checkDigitFirst: false },
  corporate: { ja: '法人番号', en: 'corporate number', baseLength: 12, checkDigit: corporateNumberCheckDigit, checkDigitFirst: true },
  'lg-code': { ja: '地方公共団体コード', en: 'local government code', baseLength: 5, checkDigit: lgCodeCheckDigit, checkDigitFirst: false },
};

const DIGITS = /^[0-9]*$/;

/**
 * Throws unless `base` is exactly `length` ASCII digits. The message never includes the input:
 * it may be part of someone's number, and error messages end up in logs.
 */
function assertBase(base: string, length: number): void {
  if (base.length !== length || !DIGITS.test(base)) {
    throw new TypeError(`check digit: base must be ${length} ASCII digits`);
  }
}

/**
 * Σ Pn·Qn mod 11 with Qn = 2..7 repeating, n = 1 at the rightmost digit, mapped to 0 when the
 * remainder is 0 or 1 and to 11 − r otherwise. The 個人番号 weights (n + 1 for n ≤ 6, n − 5
 * above) are exactly this pattern, which is why one helper serves both kinds.
 */
function mod11Weights2to7(base: string): number {
  let sum = 0;
  for (let n = 1; n <= base.length; n++) {
    sum += (base.charCodeAt(base.length - n) - 48) * (((n - 1) % 6) + 2);
  }
  const r = sum % 11;
  return r <= 1 ? 0 : 11 - r;
}

/**
 * Check digit of a 個人番号 from its 11 base digits (平成26年総務省令第85号 第5条).
 * @example individualNumberCheckDigit('12345678901') // 8
 */
export function individualNumberCheckDigit(base11: string): number {
  assertBase(base11, 11);
  return mod11Weights2to7(base11);
}

/**
 * Check digit of a 住民票コード from its 10 base digits.
 *
 * Provisional: the official rule is in 住民基本台帳法施行規則 and was not retrieved, so, as the
 * spec instructs, this uses modulus 11 with weights 2..7 repeating from the right (0 if r ≤ 1,
 * else 11 − r). Replace it once the 施行規則 text is in hand; issued codes would then need
 * re-validation.
 */
export function residentCodeCheckDigit(base10: string): number {
  assertBase(base10, 10);
  return mod11Weights2to7(base10);
}

/**
 * Check digit of a 法人番号 from its 12 base digits (平成26年財務省令第70号 第2条).
 * It is written in FRONT of the base: `corporateNumberCheckDigit('123456789012')` is 7, the
 * number is `7123456789012`.
 */
export function corporateNumberCheckDigit(base12: string): number {
  assertBase(base12, 12);
  let sum = 0;
  for (let n = 1; n <= 12; n++) {
    sum += (base12.charCodeAt(12 - n) - 48) * (n % 2 === 1 ? 1 : 2);
  }
  return 9 - (sum % 9);
}

/**
 * Check digit of a 全国地方公共団体コード (JIS X 0402) from its 5 base digits.
 * @example lgCodeCheckDigit('13101') // 6 (千代田区)
 */
export function lgCodeCheckDigit(base5: string): number {
  assertBase(base5, 5);
  let sum = 0;
  for (let i = 0; i < 5; i++) sum += (base5.charCodeAt(i) - 48) * (6 - i);
  return (11 - (sum % 11)) % 10;
}

/**
 * Builds the full identifier from its base digits, placing the check digit where the kind wants it.
 * @throws PlatformError `KERNEL_ID_INVALID` when `baseDigits` is not exactly the base length of digits.
 */
export function makeId(kind: IdKind, baseDigits: string): string {
  const { ja, en, baseLength, checkDigit, checkDigitFirst } = RULES[kind];
  if (baseDigits.length !== baseLength || !DIGITS.test(baseDigits)) {
    throw kernelError('KERNEL_ID_INVALID', {
      message:
        `${ja}はチェックデジットを除いた半角数字${baseLength}桁で指定してください / ` +
        `give the ${baseLength} base digits of a ${en}, without the check digit`,
    });
  }
  const check = String(checkDigit(baseDigits));
  return checkDigitFirst ? check + baseDigits : baseDigits + check;
}

/**
 * Validates a full identifier of the given kind: ASCII digits only, exact length, check digit.
 * Never throws for bad input; the reason names what is wrong without repeating the digits.
 */
export function checkId(kind: IdKind, digits: string): IdCheckResult {
  const { ja, en, baseLength, checkDigit, checkDigitFirst } = RULES[kind];
  const length = baseLength + 1;
  if (!DIGITS.test(digits)) {
    return { valid: false, code: 'NOT_DIGITS', reason: `${ja}には半角数字のみを使用してください / a ${en} contains ASCII digits only` };
  }
  if (digits.length !== length) {
    return {
      valid: false,
      code: 'LENGTH',
      reason: `${ja}は${length}桁です（入力は${digits.length}桁） / a ${en} has ${length} digits, got ${digits.length}`,
    };
  }
  const base = checkDigitFirst ? digits.slice(1) : digits.slice(0, -1);
  const given = digits.charCodeAt(checkDigitFirst ? 0 : length - 1) - 48;
  if (checkDigit(base) !== given) {
    return { valid: false, code: 'CHECK_DIGIT', reason: `${ja}のチェックデジットが一致しません / the ${en} check digit does not match` };
  }
  return { valid: true };
}

/** True when `digits` is a 12-digit 個人番号 with a correct check digit. */
export function isValidIndividualNumber(digits: string): boolean {
  return checkId('my-number', digits).valid;
}

/** True when `digits` is an 11-digit 住民票コード with a correct (provisional-rule) check digit. */
export function isValidResidentCode(digits: string): boolean {
  return checkId('resident-code', digits).valid;
}

/** True when `digits` is a 13-digit 法人番号 with a correct leading check digit. */
export function isValidCorporateNumber(digits: string): boolean {
  return checkId('corporate', digits).valid;
}

/** True when `digits` is a 6-digit 全国地方公共団体コード with a correct check digit. */
export function isValidLgCode(digits: string): boolean {
  return checkId('lg-code', digits).valid;
}
