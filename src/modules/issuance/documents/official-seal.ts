// The 公印 (official seal): a generated vermilion square with 「三鷹市長之印」 in a grid inside a double border — drawn, never a scanned seal.
import { advanceWidth, documentFonts, outlineOperators } from './document-fonts.ts';

/** 朱色 as seal ink prints it. */
export const SEAL_VERMILION = '#d9381e';

/** How `count` characters fill a square seal: 6 → 3 rows × 2 columns, 4 → 2 × 2, 8 → 3 × 3. */
export function sealGrid(count: number): { rows: number; columns: number } {
  if (count < 1) throw new TypeError('sealGrid: the seal needs at least one character');
  const rows = count <= 2 ? count : count <= 4 ? 2 : count <= 9 ? 3 : Math.ceil(Math.sqrt(count));
  return { rows, columns: Math.ceil(count / rows) };
}

/** The seal text for a head of a municipality: 三鷹市長 → 三鷹市長之印. */
export function sealTextFor(mayorTitle: string): string {
  return `${mayorTitle}之印`;
}

/** Glyph outlines per seal text and size: the same seal is drawn on every certificate of a municipality. */
const glyphCache = new Map<string, string>();

/** The characters' outlines as path operators, relative to the seal's top-left corner (y down, as pdfkit draws). */
function sealGlyphs(text: string, size: number, inset: number): string {
  const cacheKey = `${size}\u0000${text}`;
  let ops = glyphCache.get(cacheKey);
  if (ops === undefined) {
    const font = documentFonts().bold;
    const chars = Array.from(text);
    const { rows, columns } = sealGrid(chars.length);
    const inner = size - 2 * inset;
    const cellWidth = inner / columns;
    const cellHeight = inner / rows;
    // Glyph height from the cell height; the width is stretched (or squeezed) to the cell, as engraved characters are.
    const scaleY = (cellHeight * 0.98) / font.unitsPerEm;
    const scaleX = (cellWidth * 0.98) / font.unitsPerEm;
    ops = chars.map((ch, i) => {
      const column = Math.floor(i / rows);
      const row = i % rows;
      const centreX = inset + (columns - 0.5 - column) * cellWidth;
      const centreY = inset + (row + 0.5) * cellHeight;
      // An ideograph's body spans about −0.12…0.88 em around the baseline: its centre is 0.38 em up.
      return outlineOperators(font, ch, {
        x: centreX - (advanceWidth(font, ch) * scaleX) / 2,
        y: centreY + 0.38 * font.unitsPerEm * scaleY,
        scaleX,
        scaleY: -scaleY,
      });
    }).join('\n');
    glyphCache.set(cacheKey, ops);
  }
  return ops;
}

/**
 * Draws the seal centred on (`x`, `y`) (pdfkit's top-left coordinates), `size` points square.
 * Characters run top to bottom in columns from right to left, as a seal is read. The characters are
 * outlines, not text: a seal is a picture, and its 「之印」 must not join the mayor's name when the
 * page's text is copied or searched. Drawn slightly translucent: a seal printed over the mayor's name
 * lets the name show through.
 *
 * @example
 * drawOfficialSeal(doc, { text: '三鷹市長之印', x: 480, y: 700, size: 62 });
 */
export function drawOfficialSeal(doc: PDFKit.PDFDocument, seal: { text: string; x: number; y: number; size: number }): void {
  const { size } = seal;
  const left = seal.x - size / 2;
  const top = seal.y - size / 2;
  const outer = size * 0.065;
  const inset = size * 0.12;
  const gap = size * 0.035;
  doc.save();
  doc.fillOpacity(0.85).strokeOpacity(0.85).fillColor(SEAL_VERMILION).strokeColor(SEAL_VERMILION);
  doc.lineWidth(outer).rect(left + outer / 2, top + outer / 2, size - outer, size - outer).stroke();
  doc.lineWidth(size * 0.02).rect(left + inset - gap, top + inset - gap, size - 2 * inset + 2 * gap, size - 2 * inset + 2 * gap).stroke();
  doc.addContent(`q 1 0 0 1 ${left.toFixed(2)} ${top.toFixed(2)} cm\n${sealGlyphs(seal.text, size, inset)}\nf Q`);
  doc.restore();
}
