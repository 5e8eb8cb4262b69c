// Random certificate serial numbers: positive, unpredictable, at most 20 octets (RFC 5280 §4.1.2.2).

/**
 * `octets` random bytes with the top bit cleared (positive) and the lowest bit of the first octet
 * set (no leading zero octet, so the stored hex is the minimal DER form).
 * @example randomSerial(16) // 127 random bits
 */
export function randomSerial(octets: number): Uint8Array {
  if (!Number.isInteger(octets) || octets < 1 || octets > 20) throw new TypeError('a serial has 1..20 octets');
  const serial = crypto.getRandomValues(new Uint8Array(octets));
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  return serial;
}
