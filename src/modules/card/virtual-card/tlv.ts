// BER-TLV encoding for the card's data files (1- or 2-byte tags, definite lengths): small enough to keep here, see why below.
// Why hand-written: the card's files use private-class tags (FF 20, DF 21 …) and exact byte layouts
// that the ASN.1 libraries we use (asn1js, @peculiar/asn1-schema) only reach through their generic
// "any" paths; 20 lines of length encoding are clearer than bending them.

/** The length octets: short form below 128, otherwise 81 LL or 82 HH LL. */
export function berLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  if (length <= 0xff) return Uint8Array.of(0x81, length);
  if (length <= 0xffff) return Uint8Array.of(0x82, length >> 8, length & 0xff);
  throw new RangeError(`TLV value of ${length} bytes is too long for a card file`);
}

/** One TLV: tag bytes (e.g. [0xdf, 0x22]), length, value. */
export function tlv(tag: readonly number[], value: Uint8Array): Uint8Array {
  return concat([Uint8Array.from(tag), berLength(value.length), value]);
}

/** Concatenates byte arrays. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

/** Reads the TLVs inside a constructed value, in order (tags of 1 or 2 bytes as used on the card). */
export function readTlvs(bytes: Uint8Array): { tag: number; value: Uint8Array; offset: number }[] {
  const out: { tag: number; value: Uint8Array; offset: number }[] = [];
  let i = 0;
  while (i < bytes.length) {
    const offset = i;
    let tag = bytes[i++]!;
    if ((tag & 0x1f) === 0x1f) tag = (tag << 8) | bytes[i++]!;
    let length = bytes[i++]!;
    if (length === 0x81) length = bytes[i++]!;
    else if (length === 0x82) { length = (bytes[i]! << 8) | bytes[i + 1]!; i += 2; }
    if (i + length > bytes.length) throw new RangeError('TLV runs past the end');
    out.push({ tag, value: bytes.subarray(i, i + length), offset });
    i += length;
  }
  return out;
}
