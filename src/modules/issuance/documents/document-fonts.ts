// Noto Sans JP (OFL-1.1, from @expo-google-fonts/noto-sans-jp) parsed once per process and handed to every PDFDocument, which embeds a subset.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

/** A glyph outline command as fontkit reports it (font units, y up). */
export interface GlyphPathCommand {
  command: 'moveTo' | 'lineTo' | 'quadraticCurveTo' | 'bezierCurveTo' | 'closePath';
  args: number[];
}

/** The part of a fontkit font this folder uses: pdfkit takes the object itself, the 地紋 its outlines. */
export interface ParsedFont {
  unitsPerEm: number;
  layout(text: string): { glyphs: { path: { commands: GlyphPathCommand[] } }[]; positions: { xAdvance: number }[] };
}

/** The two weights the certificates use. */
export interface DocumentFonts {
  regular: ParsedFont;
  bold: ParsedFont;
}

const FILES = {
  regular: '@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf',
} as const;

let cached: DocumentFonts | undefined;

/**
 * The fonts, parsed on first use. pdfkit 0.20 accepts a parsed fontkit font in place of font bytes;
 * handing it the same parsed font each time saves re-reading a 5.5 MB TrueType file's tables for every
 * document (measured: 23 ms → 7 ms a page). fontkit is pdfkit's own dependency, not ours, so the
 * parsed font is taken from a throwaway PDFDocument rather than by importing fontkit.
 */
export function documentFonts(): DocumentFonts {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  cached = {
    regular: parse(readFileSync(require.resolve(FILES.regular))),
    bold: parse(readFileSync(require.resolve(FILES.bold))),
  };
  return cached;
}

function parse(bytes: Buffer): ParsedFont {
  const probe = new PDFDocument({ autoFirstPage: false });
  probe.font(bytes);
  const font = (probe as unknown as { _font?: { font?: ParsedFont } })._font?.font;
  if (!font || typeof font.layout !== 'function') throw new Error('document-fonts: this pdfkit version no longer exposes the parsed font (expected pdfkit 0.20)');
  return font;
}

/** Where and how large {@link outlineOperators} draws: a scale per axis (negative y for pdfkit's downward y). */
export interface OutlinePlacement {
  /** Left end of the baseline. */
  x: number;
  y: number;
  scaleX: number;
  scaleY: number;
}

const round2 = (n: number) => String(Math.round(n * 100) / 100);

/**
 * `text`'s glyph outlines as PDF path operators (m, l, c, h), unfilled: for shapes made of letters that
 * are not text — the 公印 and the 地紋 — so that they stay out of the text layer (a copied or searched name
 * never picks up 「之印」) and out of the embedded font subset.
 *
 * @example
 * doc.addContent(`${outlineOperators(font, '複写', { x: 10, y: 20, scaleX: 0.05, scaleY: 0.05 })} f`);
 */
export function outlineOperators(font: ParsedFont, text: string, at: OutlinePlacement): string {
  const run = font.layout(text);
  const ops: string[] = [];
  let advance = 0;
  run.glyphs.forEach((glyph, i) => {
    const px = (gx: number) => round2(at.x + (advance + gx) * at.scaleX);
    const py = (gy: number) => round2(at.y + gy * at.scaleY);
    let cx = 0;
    let cy = 0;
    for (const { command, args: a } of glyph.path.commands) {
      if (command === 'moveTo') ops.push(`${px(a[0]!)} ${py(a[1]!)} m`);
      else if (command === 'lineTo') ops.push(`${px(a[0]!)} ${py(a[1]!)} l`);
      else if (command === 'bezierCurveTo') ops.push(`${px(a[0]!)} ${py(a[1]!)} ${px(a[2]!)} ${py(a[3]!)} ${px(a[4]!)} ${py(a[5]!)} c`);
      else if (command === 'quadraticCurveTo') {
        // PDF has no quadratic curves: the cubic whose control points lie 2/3 of the way to the quadratic one is the same curve.
        const [qx, qy, ex, ey] = a as [number, number, number, number];
        ops.push(`${px(cx + (2 / 3) * (qx - cx))} ${py(cy + (2 / 3) * (qy - cy))} ${px(ex + (2 / 3) * (qx - ex))} ${py(ey + (2 / 3) * (qy - ey))} ${px(ex)} ${py(ey)} c`);
      } else ops.push('h');
      if (command !== 'closePath') [cx, cy] = [a[a.length - 2]!, a[a.length - 1]!];
    }
    advance += run.positions[i]!.xAdvance;
  });
  return ops.join('\n');
}

/** The advance width of `text` in font units. */
export function advanceWidth(font: ParsedFont, text: string): number {
  return font.layout(text).positions.reduce((sum, p) => sum + p.xAdvance, 0);
}
