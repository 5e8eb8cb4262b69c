// UUID syntax check for ids arriving in URLs: a malformed id is "not found", never a database error.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `value` is a UUID in its canonical text form (any version). */
export function isUuid(value: string | undefined | null): boolean {
  return typeof value === 'string' && UUID.test(value);
}
