// The format rules of the card's PINs (spec/card-apdu.md §9): what the card accepts as a new value.
import type { PinRule } from './card-image.ts';

const PATTERNS: Record<PinRule, RegExp> = {
  digits4: /^[0-9]{4}$/,
  // Upper case only: the card compares bytes, so a lower-case password would be a different one.
  alnum6to16: /^[A-Z0-9]{6,16}$/,
  collationA: /^[0-9]{12}$/,
  collationB: /^[0-9]{14}$/,
};

/** Whether `value` (ASCII bytes) is a valid PIN under `rule`. */
export function pinValueAllowed(rule: PinRule, value: Uint8Array | string): boolean {
  const text = typeof value === 'string' ? value : Buffer.from(value).toString('latin1');
  return PATTERNS[rule].test(text);
}

/** Japanese description of a rule, for error messages. */
export const PIN_RULE_TEXT: Record<PinRule, string> = {
  digits4: '数字4桁',
  alnum6to16: '英大文字と数字の6〜16文字',
  collationA: '数字12桁（個人番号）',
  collationB: '数字14桁（生年月日6桁＋有効期限の西暦4桁＋セキュリティコード4桁）',
};
