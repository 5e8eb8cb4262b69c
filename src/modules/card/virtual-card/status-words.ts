// ISO 7816-4 status words the virtual card answers, named (values as the real card and its readers use them: spec/card-apdu.md §4).

/** SW1 SW2 as one number, e.g. 0x9000. */
export const SW = {
  OK: 0x9000,
  /** VERIFY failed or a status query; low nibble = tries left. */
  PIN_TRIES_LEFT: 0x63c0,
  WRONG_LENGTH: 0x6700,
  SECURITY_STATUS_NOT_SATISFIED: 0x6982,
  /** VERIFY with data on a blocked PIN: OpenSC maps it to CKR_PIN_LOCKED (69 84 would be a general error). */
  AUTHENTICATION_BLOCKED: 0x6983,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  COMMAND_NOT_ALLOWED_NO_EF: 0x6986,
  WRONG_DATA: 0x6a80,
  FILE_NOT_FOUND: 0x6a82,
  RECORD_NOT_FOUND: 0x6a83,
  WRONG_P1P2: 0x6a86,
  OFFSET_OUT_OF_RANGE: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
  /** No precise diagnosis: an internal failure (never expected). */
  UNKNOWN: 0x6f00,
} as const;

/** The two bytes of a status word. */
export function statusBytes(sw: number): Uint8Array {
  return Uint8Array.of(sw >> 8, sw & 0xff);
}

/** A response APDU: data followed by the status word. */
export function response(sw: number, data?: Uint8Array): Uint8Array {
  if (!data || data.length === 0) return statusBytes(sw);
  const out = new Uint8Array(data.length + 2);
  out.set(data, 0);
  out[data.length] = sw >> 8;
  out[data.length + 1] = sw & 0xff;
  return out;
}
