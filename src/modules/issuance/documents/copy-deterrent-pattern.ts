// 地紋 (copy-deterrent background): fine lines a copier drops, and a hidden word (「複写」) in coarse dots a copier keeps.
//
// Both screens cover the same share of the paper (≈ 17 %), so on the original the word blends into the
// background; on a photocopy the 0.25 pt lines fade and the 0.82 pt dots stay, and the word stands out.
// Three tiling patterns (ISO 32000-1 §8.7.3.1) do it in about 2 KB: the page is filled with the line
// screen, then with a word pattern whose cell clips to the word's outline, paints it white and fills it
// with the dot screen (a pattern inside a pattern). The streams are built and deflated once per process.
import { deflateSync } from 'node:zlib';
import { advanceWidth, documentFonts, outlineOperators } from './document-fonts.ts';

/** Light grey-blue: at 17 % coverage the paper looks barely tinted, and black text reads as on plain paper. */
const TINT = '0.62 0.70 0.80 rg';
const LINE = { pitch: 1.5, width: 0.25 } as const;
const DOT = { pitch: 2, size: 0.82 } as const;
/** The word's cell: the word repeats every 210 × 130 pt, turned 20° (text set straight reads as part of the form). */
const CELL = { width: 210, height: 130, angleDeg: 20, fontSize: 46 } as const;

const num = (n: number) => String(Math.round(n * 100) / 100);

interface PatternStreams {
  lines: Buffer;
  dots: Buffer;
  word: Buffer;
}

const cache = new Map<string, PatternStreams>();

/** The glyph outlines of `word` as PDF path operators, in a cell with the word centred. */
function wordPath(word: string): string {
  const font = documentFonts().bold;
  const scale = CELL.fontSize / font.unitsPerEm;
  // Baseline so that the ideographs (≈ 0.88 em above, 0.12 em below the baseline) sit in the middle.
  return outlineOperators(font, word, {
    x: (CELL.width - advanceWidth(font, word) * scale) / 2,
    y: (CELL.height - CELL.fontSize) / 2 + CELL.fontSize * 0.12,
    scaleX: scale,
    scaleY: scale,
  });
}

function streamsFor(word: string): PatternStreams {
  let streams = cache.get(word);
  if (!streams) {
    const { width, height } = CELL;
    streams = {
      lines: deflateSync(`${TINT} 0 ${num((LINE.pitch - LINE.width) / 2)} ${LINE.pitch} ${LINE.width} re f`),
      dots: deflateSync(`${TINT} 0 0 ${DOT.size} ${DOT.size} re f`),
      word: deflateSync(`q\n${wordPath(word)}\nW n\n1 g 0 0 ${width} ${height} re f\n/Pattern cs /Pd scn 0 0 ${width} ${height} re f\nQ`),
    };
    cache.set(word, streams);
  }
  return streams;
}

/** A tiling pattern object with a pre-deflated content stream (pdfkit leaves a stream alone once it has a Filter). */
function patternRef(doc: PDFKit.PDFDocument, stream: Buffer, step: [number, number], matrix: number[], resources: object = {}) {
  const ref = doc.ref({
    Type: 'Pattern', PatternType: 1, PaintType: 1, TilingType: 1,
    BBox: [0, 0, step[0], step[1]], XStep: step[0], YStep: step[1],
    Matrix: matrix, Resources: resources, Filter: 'FlateDecode',
  });
  ref.end(stream);
  return ref;
}

/** Options of {@link copyDeterrentBackground}. */
export interface CopyDeterrentOptions {
  /** The word that appears on a copy; default 「複写」, as on the kiosks' certificates. */
  word?: string;
}

/**
 * Prepares the 地紋 for one document and returns the function that paints it on the current page
 * (call it first on each page, so everything else is drawn over it).
 *
 * @example
 * const paintBackground = copyDeterrentBackground(doc);
 * doc.addPage(); paintBackground();
 */
export function copyDeterrentBackground(doc: PDFKit.PDFDocument, options: CopyDeterrentOptions = {}): () => void {
  const streams = streamsFor(options.word ?? '複写');
  const lineTurn = (Math.PI / 180) * -35;
  const lines = patternRef(doc, streams.lines, [LINE.pitch, LINE.pitch],
    [Math.cos(lineTurn), Math.sin(lineTurn), -Math.sin(lineTurn), Math.cos(lineTurn), 0, 0].map((n) => Math.round(n * 1e5) / 1e5));
  const dots = patternRef(doc, streams.dots, [DOT.pitch, DOT.pitch], [1, 0, 0, 1, 0, 0]);
  const turn = (Math.PI / 180) * CELL.angleDeg;
  const word = patternRef(doc, streams.word, [CELL.width, CELL.height],
    [Math.cos(turn), Math.sin(turn), -Math.sin(turn), Math.cos(turn), 20, 10].map((n) => Math.round(n * 1e5) / 1e5),
    { Pattern: { Pd: dots } });
  return () => {
    const page = (doc as unknown as { page: { patterns: Record<string, unknown>; width: number; height: number } }).page;
    page.patterns['MynaLines'] = lines;
    page.patterns['MynaWord'] = word;
    const area = `0 0 ${num(page.width)} ${num(page.height)} re f`;
    doc.addContent(`q /Pattern cs /MynaLines scn ${area} /MynaWord scn ${area} Q`);
  };
}
