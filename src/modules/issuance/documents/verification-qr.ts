// The verification QR code drawn as vector rectangles: sharp at any printer resolution, and a few KB once deflated.
import QRCode from 'qrcode';

/** Quiet zone of 4 modules, as ISO/IEC 18004 §9.1 requires around a QR code. */
const QUIET_MODULES = 4;

/** The QR symbol of `text` at error correction M (15 %: a smudge on paper still scans). */
export function qrModules(text: string): { size: number; dark(row: number, column: number): boolean } {
  // One byte-mode segment: a JWS is base64url and dots, which only byte mode encodes, so the encoder's
  // search for the cheapest mix of modes (a shortest-path search, ~0.5 ms) would find nothing better.
  // A fixed mask: readers accept all eight (ISO/IEC 18004 §7.8), and scoring each to pick the one with
  // the fewest look-alike patterns costs 1.5 ms of the 2 ms a code takes — on every certificate printed.
  // Mask 2 (vertical stripes every third column) breaks up the long runs a base64url payload makes.
  const { modules } = QRCode.create([{ data: new TextEncoder().encode(text), mode: 'byte' }], { errorCorrectionLevel: 'M', maskPattern: 2 });
  return { size: modules.size, dark: (row, column) => Boolean(modules.get(row, column)) };
}

/**
 * Draws the QR code of `text` with its top-left corner at (`x`, `y`), `size` points square including
 * the quiet zone. Each row's run of dark modules is one rectangle, and all are filled at once.
 * Returns the module size, so a caller can check it stays printable (≥ 0.33 mm ≈ 0.94 pt).
 *
 * @example
 * const module = drawQrCode(doc, token, { x: 42, y: 700, size: 80 });
 */
export function drawQrCode(doc: PDFKit.PDFDocument, text: string, box: { x: number; y: number; size: number }): number {
  const qr = qrModules(text);
  const module = box.size / (qr.size + 2 * QUIET_MODULES);
  const origin = { x: box.x + QUIET_MODULES * module, y: box.y + QUIET_MODULES * module };
  // White ground: the 地紋 must not reach the modules or the quiet zone.
  doc.save().rect(box.x, box.y, box.size, box.size).fill('#ffffff');
  doc.fillColor('#000000');
  for (let row = 0; row < qr.size; row++) {
    let column = 0;
    while (column < qr.size) {
      if (!qr.dark(row, column)) { column++; continue; }
      const start = column;
      while (column < qr.size && qr.dark(row, column)) column++;
      // A hair of overlap keeps viewers' anti-aliasing from showing seams between rows.
      doc.rect(origin.x + start * module, origin.y + row * module, (column - start) * module, module + 0.01);
    }
  }
  doc.fill();
  doc.restore();
  return module;
}
