// Parses a command APDU in any of ISO 7816-4's seven cases (short and extended length) into header, data and Le.

/** A decoded command APDU. */
export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  /** Command data (empty for cases 1 and 2). */
  data: Uint8Array;
  /** Expected response length; undefined when absent (cases 1, 3). `00` means 256 (short) or 65536 (extended). */
  le: number | undefined;
}

/** Thrown for bytes that are no valid APDU; the card answers 67 00. */
export class ApduLengthError extends Error {}

/**
 * ISO 7816-4 §5.1: after the 4-byte header comes nothing (case 1), Le (2S), Lc+data (3S),
 * Lc+data+Le (4S), or the extended forms introduced by a 00 byte: 00 Le(2) (2E),
 * 00 Lc(2)+data (3E), 00 Lc(2)+data+Le(2) (4E). Any other length is malformed.
 */
export function parseCommandApdu(bytes: Uint8Array): CommandApdu {
  if (bytes.length < 4) throw new ApduLengthError(`APDU of ${bytes.length} bytes`);
  const [cla, ins, p1, p2] = [bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!];
  const body = bytes.length - 4;
  const empty = new Uint8Array(0);
  if (body === 0) return { cla, ins, p1, p2, data: empty, le: undefined };
  const b0 = bytes[4]!;
  if (body === 1) return { cla, ins, p1, p2, data: empty, le: b0 === 0 ? 256 : b0 };
  if (b0 !== 0) {
    // Short Lc: 3S is exactly Lc bytes, 4S one more for Le.
    if (body === 1 + b0) return { cla, ins, p1, p2, data: bytes.subarray(5, 5 + b0), le: undefined };
    if (body === 2 + b0) {
      const le = bytes[5 + b0]!;
      return { cla, ins, p1, p2, data: bytes.subarray(5, 5 + b0), le: le === 0 ? 256 : le };
    }
    throw new ApduLengthError(`short Lc ${b0} does not match ${body} body bytes`);
  }
  if (body === 3) {
    const le = (bytes[5]! << 8) | bytes[6]!;
    return { cla, ins, p1, p2, data: empty, le: le === 0 ? 65536 : le };
  }
  if (body < 3) throw new ApduLengthError('extended length field cut short');
  const lc = (bytes[5]! << 8) | bytes[6]!;
  if (lc === 0) throw new ApduLengthError('extended Lc of 0');
  if (body === 3 + lc) return { cla, ins, p1, p2, data: bytes.subarray(7, 7 + lc), le: undefined };
  if (body === 5 + lc) {
    const le = (bytes[7 + lc]! << 8) | bytes[8 + lc]!;
    return { cla, ins, p1, p2, data: bytes.subarray(7, 7 + lc), le: le === 0 ? 65536 : le };
  }
  throw new ApduLengthError(`extended Lc ${lc} does not match ${body} body bytes`);
}
