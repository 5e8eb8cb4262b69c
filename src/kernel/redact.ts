// Removes individual numbers, PINs and private keys from anything about to be logged (番号法).
// Applied to every log line by the logger; usable on its own for any text leaving the process.

/** Words that make a field secret whatever it holds (`pin`, `userPin`, `pin_retry`… not `spinner`). */
const SECRET_WORDS = new Set(['pin', 'pins', 'password', 'passphrase', 'secret', 'authorization', 'cookie', 'token']);
/** Word sequences, joined, that make a field secret (`privateKey`, `individual_number`, `x-api-key`). */
const SECRET_PHRASES = ['privatekey', 'apikey', 'individualnumber', 'mynumber', 'numberingkey'];

function isSecretKey(key: string): boolean {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split(/[_\-\s.]+/);
  if (words.some((w) => SECRET_WORDS.has(w))) return true;
  const joined = words.join('');
  return SECRET_PHRASES.some((p) => joined.includes(p));
}

/** PEM private keys of any kind. */
const PEM_PRIVATE_KEY = /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g;

/**
 * A run of exactly 12 digits, bare or grouped 4-4-4 by spaces or hyphens, not inside a longer run
 * of digits. Every such run is masked, valid check digit or not: a mistyped individual number is
 * still personal data. In a URL the run may stand right after a percent escape (`%22` of a quoted
 * JSON value, `%3D`), whose hex digits are not part of it, and the groups may be joined by an
 * escaped space or hyphen (`%20`, `%2D`) or a `+`.
 */
const TWELVE_DIGITS = /(?<=^|[^0-9０-９]|%[0-9A-Fa-f]{2})(?:[0-9０-９]{12}|[0-9０-９]{4}(?:[- +]|%2[0Dd])[0-9０-９]{4}(?:[- +]|%2[0Dd])[0-9０-９]{4})(?![0-9０-９])/g;

export const REDACTED = '[REDACTED]';
export const REDACTED_NUMBER = '[個人番号]';
export const REDACTED_KEY = '[秘密鍵]';

/** Masks individual numbers and PEM private keys inside free text. */
export function redactText(text: string): string {
  return text.replace(PEM_PRIVATE_KEY, REDACTED_KEY).replace(TWELVE_DIGITS, REDACTED_NUMBER);
}

/**
 * A URL as a person reads it, redacted: runs of percent escapes are decoded where they are valid
 * UTF-8 (an individual number typed in full-width digits travels as `%EF%BC%91…`, which no digit
 * pattern sees), then masked like any text. For logs and problem documents, not for fetching.
 *
 * @example redactUrl('/x?n=%EF%BC%91%EF%BC%92…') // '/x?n=[個人番号]'
 */
export function redactUrl(url: string): string {
  const decoded = url.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
  return redactText(decoded);
}

/**
 * Deep copy of a log value with secrets masked: values under secret field names are replaced,
 * strings are scrubbed, Errors become plain objects with scrubbed message and stack.
 * Non-plain objects (class instances other than Error) are left to the logger's serializers.
 */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1e11 && value < 1e12) return REDACTED_NUMBER;
  if (typeof value === 'bigint') return redactText(value.toString());
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  if (value instanceof Error) {
    const out: Record<string, unknown> = { type: value.name, message: redactText(value.message) };
    if (value.stack) out['stack'] = redactText(value.stack);
    const code = (value as { code?: unknown }).code;
    if (code !== undefined) out['code'] = code;
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = isSecretKey(k) && v !== undefined && v !== null ? REDACTED : redactValue(v, depth + 1);
  }
  return out;
}
