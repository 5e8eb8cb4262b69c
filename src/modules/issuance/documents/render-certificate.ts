// Renders a CertificateDocument as an A4 PDF laid out like a Japanese certificate: title, bordered tables, 認証文, 和暦 date, mayor with 公印, 発行番号, 地紋, QR code.
//
// The layout is planned before anything is drawn (every row measured, pages assigned), so each page
// can print 「1/2」, a table's header repeats on a continuation page, and the closing block (認証文,
// date, mayor and seal, QR code) is never split. The PDF carries two Info entries for verifiers:
// /MynaVerification (the QR code's token) and /MynaContent (the canonical content, deflated, base64url),
// so a verifier checks the token against the content without decoding the QR image.
import { deflateRawSync } from 'node:zlib';
import PDFDocument from 'pdfkit';
import type { CertificateDocument, FieldsSection, TableSection } from './certificate-document.ts';
import { CERTIFICATE_KINDS } from './certificate-document.ts';
import { copyDeterrentBackground } from './copy-deterrent-pattern.ts';
import { canonicalContentBytes } from './document-content.ts';
import { documentFonts } from './document-fonts.ts';
import { japaneseEraDate } from './japanese-era.ts';
import { drawOfficialSeal, sealTextFor } from './official-seal.ts';
import { INFO_KEYS } from './pdf-signature-fields.ts';
import { drawQrCode } from './verification-qr.ts';

/** Options of {@link renderCertificatePdf}. */
export interface RenderOptions {
  /** The signed verification payload (makeVerificationPayload) printed as the QR code. */
  verificationToken: string;
  /** The word the 地紋 reveals on a photocopy; default 「複写」. */
  copyDeterrentWord?: string;
  /** The 公印's text; default mayorTitle + 之印 (三鷹市長之印). */
  sealText?: string;
}

// A4 portrait in points (1 pt = 1/72 in); pdfkit's origin is the top-left corner.
const PAGE = { width: 595.28, height: 841.89 } as const;
const MARGIN = { left: 42, right: 42, top: 34, bottom: 34 } as const;
const BODY = { left: MARGIN.left, width: PAGE.width - MARGIN.left - MARGIN.right, top: 108, bottom: PAGE.height - MARGIN.bottom - 20 } as const;
const TEXT = { body: 10, table: 9.5, header: 8.5, heading: 10, note: 8.5, certification: 10.5, title: 20 } as const;
const CELL_PAD = { x: 5, y: 3.5 } as const;
const LABEL_WIDTH = 96;
const RULE = { inner: 0.5, outer: 1.1 } as const;
const SEAL_SIZE = 62;
/** 84 pt ≈ 30 mm: a 320–360-character token is QR version 13–14 (69–73 modules), 0.37–0.39 mm a module. */
const QR_SIZE = 84;
/** 0.33 mm: below this a kiosk's 600 dpi printer and a phone camera no longer resolve the modules reliably. */
const MIN_QR_MODULE = (0.33 / 25.4) * 72;
const FONT = { regular: 'NotoSansJP-Regular', bold: 'NotoSansJP-Bold' } as const;

/** A piece of the body with a measured height, drawn once its page and position are known. */
interface Block {
  height: number;
  draw(y: number): void;
  /** A table row's header row, repeated at the top of a continuation page. */
  header?: Block;
  /** Keep on the page of the next block (a heading, a header row). */
  keepWithNext?: boolean;
  /** The section whose outer border this block belongs to. */
  frame?: number;
}

/** Where one block landed. */
interface Placed {
  block: Block;
  y: number;
}

/**
 * Renders `doc` as an A4 PDF (unsigned; sign it with signPdf). Text is real text in an embedded
 * subset of Noto Sans JP, so it can be searched and copied.
 *
 * @example
 * const token = await makeVerificationPayload(doc, payloadKey);
 * const pdf = await renderCertificatePdf(doc, { verificationToken: token });
 */
export async function renderCertificatePdf(doc: CertificateDocument, options: RenderOptions): Promise<Uint8Array> {
  checkDocument(doc);
  if (typeof options.verificationToken !== 'string' || options.verificationToken.length === 0) {
    throw new TypeError('renderCertificatePdf: options.verificationToken is required (makeVerificationPayload)');
  }
  const fonts = documentFonts();
  const issuer = `${doc.issuer.prefecture}${doc.issuer.municipalityName}`;
  const pdf = new PDFDocument({
    size: 'A4', margin: 0, autoFirstPage: false, pdfVersion: '1.7', compress: true, lang: 'ja-JP', displayTitle: true,
    // The parsed font as the default: otherwise every document parses Helvetica's metrics, never to use them.
    font: fonts.regular as unknown as string,
    info: {
      Title: doc.title,
      Author: issuer,
      Subject: `${doc.title}（発行番号 ${doc.serialNumber}）`,
      Creator: 'myna-platform',
      Producer: 'myna-platform (PDFKit)',
      CreationDate: doc.issuedAt,
      ModDate: doc.issuedAt,
      [INFO_KEYS.token]: options.verificationToken,
      [INFO_KEYS.content]: deflateRawSync(canonicalContentBytes(doc)).toString('base64url'),
    } as PDFKit.DocumentInfo,
  });
  const chunks: Uint8Array[] = [];
  pdf.on('data', (chunk: Uint8Array) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    pdf.on('end', resolve);
    pdf.on('error', reject);
  });
  // pdfkit takes a parsed fontkit font in place of bytes (document-fonts.ts); its types only know bytes.
  pdf.registerFont(FONT.regular, fonts.regular as unknown as Uint8Array);
  pdf.registerFont(FONT.bold, fonts.bold as unknown as Uint8Array);
  const paintBackground = copyDeterrentBackground(pdf, options.copyDeterrentWord === undefined ? {} : { word: options.copyDeterrentWord });

  // Measuring needs a page; the background goes first so everything else lies over it.
  pdf.addPage({ size: 'A4', margin: 0 });
  paintBackground();
  const blocks = bodyBlocks(pdf, doc);
  const closing = closingBlock(pdf, doc, options, blocks.length > 0);
  const pages = paginate(blocks, closing);

  pages.forEach((placed, index) => {
    if (index > 0) {
      pdf.addPage({ size: 'A4', margin: 0 });
      paintBackground();
    }
    drawPageFrame(pdf, doc, index + 1, pages.length);
    const frames = new Map<number, { top: number; bottom: number }>();
    for (const { block, y } of placed) {
      block.draw(y);
      if (block.frame !== undefined) {
        const frame = frames.get(block.frame);
        frames.set(block.frame, { top: Math.min(frame?.top ?? y, y), bottom: Math.max(frame?.bottom ?? 0, y + block.height) });
      }
    }
    pdf.save().lineWidth(RULE.outer).strokeColor('#000000');
    for (const { top, bottom } of frames.values()) pdf.rect(BODY.left, top, BODY.width, bottom - top).stroke();
    pdf.restore();
  });
  pdf.end();
  await ended;
  return new Uint8Array(Buffer.concat(chunks));
}

/** Caller misuse is a TypeError (the kiosk server builds documents; a person never types one). */
function checkDocument(doc: CertificateDocument): void {
  if (!CERTIFICATE_KINDS.includes(doc.kind)) throw new TypeError(`renderCertificatePdf: unknown kind ${JSON.stringify(doc.kind)}`);
  if (!doc.title || !doc.serialNumber || !doc.certification) throw new TypeError('renderCertificatePdf: title, serialNumber and certification are required');
  if (!(doc.issuedAt instanceof Date) || Number.isNaN(doc.issuedAt.getTime())) throw new TypeError('renderCertificatePdf: issuedAt must be a valid Date');
  for (const section of doc.sections) {
    if (section.type === 'table' && section.rows.some((r) => r.length !== section.columns.length)) {
      throw new TypeError(`renderCertificatePdf: every row of table ${JSON.stringify(section.heading ?? '')} needs ${section.columns.length} cells`);
    }
  }
}

/** 「コンビニ交付」, 発行番号 and the title at the top; the page number at the bottom. */
function drawPageFrame(pdf: PDFKit.PDFDocument, doc: CertificateDocument, page: number, pages: number): void {
  const marker = 'コンビニ交付';
  pdf.font(FONT.bold).fontSize(9);
  const markerWidth = pdf.widthOfString(marker) + 10;
  pdf.save().lineWidth(0.8).rect(MARGIN.left, MARGIN.top, markerWidth, 15).stroke().restore();
  pdf.fillColor('#000000').text(marker, MARGIN.left + 5, MARGIN.top + 1.2, { lineBreak: false });
  pdf.font(FONT.regular).fontSize(9)
    .text(`発行番号　${doc.serialNumber}`, MARGIN.left, MARGIN.top + 1.2, { width: BODY.width, align: 'right', lineBreak: false });
  pdf.font(FONT.bold).fontSize(TEXT.title)
    .text(doc.title, MARGIN.left, MARGIN.top + 30, { width: BODY.width, align: 'center', characterSpacing: 4, lineBreak: false });
  pdf.font(FONT.regular).fontSize(9)
    .text(`${page}/${pages}`, MARGIN.left, PAGE.height - MARGIN.bottom - 11, { width: BODY.width, align: 'center', lineBreak: false });
}

function textHeight(pdf: PDFKit.PDFDocument, font: string, size: number, text: string, width: number): number {
  return pdf.font(font).fontSize(size).heightOfString(text, { width });
}

/** The body as blocks: the registered seal's box (印鑑登録証明書), then each section's heading and rows. */
function bodyBlocks(pdf: PDFKit.PDFDocument, doc: CertificateDocument): Block[] {
  const blocks: Block[] = [];
  if (doc.sealImage) blocks.push(sealImageBlock(pdf, doc.sealImage.png, -1));
  doc.sections.forEach((section, index) => {
    if (section.heading) blocks.push(headingBlock(pdf, section.heading));
    blocks.push(...(section.type === 'fields' ? fieldBlocks(pdf, section, index) : tableBlocks(pdf, section, index)));
  });
  return blocks;
}

function headingBlock(pdf: PDFKit.PDFDocument, heading: string): Block {
  const height = textHeight(pdf, FONT.bold, TEXT.heading, heading, BODY.width) + 8;
  return {
    height,
    keepWithNext: true,
    draw: (y) => { pdf.font(FONT.bold).fontSize(TEXT.heading).fillColor('#000000').text(heading, BODY.left, y + 5, { width: BODY.width }); },
  };
}

interface CellStyle {
  font: string;
  size: number;
  align?: 'left' | 'center' | 'right' | undefined;
}

/** One bordered cell's text at (`x`, `y`), padded. */
function cellText(pdf: PDFKit.PDFDocument, text: string, x: number, y: number, width: number, style: CellStyle): void {
  pdf.font(style.font).fontSize(style.size).fillColor('#000000')
    .text(text, x + CELL_PAD.x, y + CELL_PAD.y, { width: width - 2 * CELL_PAD.x, align: style.align ?? 'left' });
}

function cellRules(pdf: PDFKit.PDFDocument, y: number, height: number, edges: number[]): void {
  pdf.save().lineWidth(RULE.inner).strokeColor('#000000');
  pdf.moveTo(BODY.left, y).lineTo(BODY.left + BODY.width, y);
  pdf.moveTo(BODY.left, y + height).lineTo(BODY.left + BODY.width, y + height);
  for (const x of edges) pdf.moveTo(x, y).lineTo(x, y + height);
  pdf.stroke().restore();
}

function fieldBlocks(pdf: PDFKit.PDFDocument, section: FieldsSection, frame: number): Block[] {
  const valueWidth = BODY.width - LABEL_WIDTH;
  return section.rows.map((row) => {
    const height = Math.max(
      textHeight(pdf, FONT.regular, TEXT.body, row.label, LABEL_WIDTH - 2 * CELL_PAD.x),
      textHeight(pdf, FONT.regular, TEXT.body, row.value, valueWidth - 2 * CELL_PAD.x),
    ) + 2 * CELL_PAD.y;
    return {
      height,
      frame,
      draw: (y) => {
        cellRules(pdf, y, height, [BODY.left + LABEL_WIDTH]);
        cellText(pdf, row.label, BODY.left, y, LABEL_WIDTH, { font: FONT.regular, size: TEXT.body });
        cellText(pdf, row.value, BODY.left + LABEL_WIDTH, y, valueWidth, { font: FONT.regular, size: TEXT.body });
      },
    };
  });
}

function tableBlocks(pdf: PDFKit.PDFDocument, section: TableSection, frame: number): Block[] {
  const total = section.columns.reduce((sum, c) => sum + (c.weight ?? 1), 0);
  const widths = section.columns.map((c) => (BODY.width * (c.weight ?? 1)) / total);
  const lefts = widths.map((_, i) => BODY.left + widths.slice(0, i).reduce((a, b) => a + b, 0));
  const edges = lefts.slice(1);
  const rowBlock = (cells: string[], style: CellStyle, header: boolean): Block => {
    const height = Math.max(...cells.map((c, i) => textHeight(pdf, style.font, style.size, c, widths[i]! - 2 * CELL_PAD.x))) + 2 * CELL_PAD.y;
    return {
      height,
      frame,
      draw: (y) => {
        cellRules(pdf, y, height, edges);
        cells.forEach((c, i) => cellText(pdf, c, lefts[i]!, y, widths[i]!, header ? style : { ...style, align: section.columns[i]!.align }));
      },
    };
  };
  const header = { ...rowBlock(section.columns.map((c) => c.header), { font: FONT.bold, size: TEXT.header, align: 'center' }, true), keepWithNext: true };
  return [header, ...section.rows.map((cells) => ({ ...rowBlock(cells, { font: FONT.regular, size: TEXT.table }, false), header }))];
}

/** 印鑑登録証明書: the registered seal's image in a framed square, as the 印影 row of the table. */
function sealImageBlock(pdf: PDFKit.PDFDocument, png: Uint8Array, frame: number): Block {
  const box = 100;
  const height = box + 2 * 8;
  return {
    height,
    frame,
    draw: (y) => {
      cellRules(pdf, y, height, [BODY.left + LABEL_WIDTH]);
      cellText(pdf, '印影', BODY.left, y, LABEL_WIDTH, { font: FONT.regular, size: TEXT.body });
      const x = BODY.left + LABEL_WIDTH + 12;
      pdf.save().rect(x, y + 8, box, box).fill('#ffffff').restore();
      pdf.image(Buffer.from(png), x + 6, y + 14, { fit: [box - 12, box - 12], align: 'center', valign: 'center' });
      pdf.save().lineWidth(1.2).rect(x, y + 8, box, box).stroke().lineWidth(0.5).rect(x + 3, y + 11, box - 6, box - 6).stroke().restore();
    },
  };
}

/** 以下余白, notes, 認証文, then the QR code beside the date and the mayor with the 公印. */
function closingBlock(pdf: PDFKit.PDFDocument, doc: CertificateDocument, options: RenderOptions, afterBody: boolean): Block {
  const notes = (doc.notes ?? []).map((n) => `※ ${n}`).join('\n');
  const blankMark = afterBody ? 16 : 0;
  const notesHeight = notes ? textHeight(pdf, FONT.regular, TEXT.note, notes, BODY.width) + 6 : 0;
  const certificationHeight = textHeight(pdf, FONT.regular, TEXT.certification, doc.certification, BODY.width - 20) + 10;
  const signatureRow = QR_SIZE + 14;
  const height = blankMark + notesHeight + certificationHeight + signatureRow;
  return {
    height,
    draw: (top) => {
      let y = top;
      if (afterBody) {
        pdf.font(FONT.regular).fontSize(9).fillColor('#000000').text('以下余白', BODY.left, y + 3, { width: BODY.width - 6, align: 'right' });
        y += blankMark;
      }
      if (notes) {
        pdf.font(FONT.regular).fontSize(TEXT.note).text(notes, BODY.left, y + 2, { width: BODY.width });
        y += notesHeight;
      }
      pdf.font(FONT.regular).fontSize(TEXT.certification).text(doc.certification, BODY.left + 10, y + 6, { width: BODY.width - 20 });
      y += certificationHeight;
      // QR code on the left.
      const module = drawQrCode(pdf, options.verificationToken, { x: BODY.left, y, size: QR_SIZE });
      if (module < MIN_QR_MODULE) {
        throw new TypeError(`renderCertificatePdf: a ${options.verificationToken.length}-character token makes a QR code too dense to print (keep it under about 400)`);
      }
      pdf.font(FONT.regular).fontSize(6.5).fillColor('#000000').text('検証用コード', BODY.left, y + QR_SIZE + 1, { width: QR_SIZE, align: 'center' });
      // Date, then 市長名 with the seal over its last character, as a stamped seal would sit.
      pdf.font(FONT.regular).fontSize(TEXT.certification).text(japaneseEraDate(doc.issuedAt), BODY.left + QR_SIZE + 40, y + 8, { lineBreak: false });
      const signature = `${doc.issuer.mayorTitle}　${doc.issuer.mayorName.replace(/ /g, '　')}`;
      pdf.font(FONT.regular).fontSize(14);
      const nameRight = BODY.left + BODY.width - SEAL_SIZE / 2 - 4;
      const nameY = y + 46;
      pdf.text(signature, nameRight - pdf.widthOfString(signature), nameY, { lineBreak: false });
      drawOfficialSeal(pdf, {
        text: options.sealText ?? sealTextFor(doc.issuer.mayorTitle),
        x: nameRight - 7,
        y: nameY + 10,
        size: SEAL_SIZE,
      });
    },
  };
}

/** Assigns blocks to pages; the closing block goes after the last body block, or alone on a new page. */
function paginate(blocks: Block[], closing: Block): Placed[][] {
  const pages: Placed[][] = [[]];
  let y = BODY.top;
  const place = (block: Block) => {
    pages[pages.length - 1]!.push({ block, y });
    y += block.height;
  };
  const newPage = () => {
    pages.push([]);
    y = BODY.top;
  };
  blocks.forEach((block, i) => {
    const next = blocks[i + 1];
    // The last row goes with the closing block: a page holding only the 認証文 would certify nothing on it.
    const needed = block.height + (block.keepWithNext && next ? next.height : 0) + (next ? 0 : closing.height);
    if (y + needed > BODY.bottom && y > BODY.top) {
      newPage();
      if (block.header && block.header !== block) place(block.header);
    }
    // NOTE: a single block taller than a page is placed anyway and runs past the bottom margin; no
    // certificate row comes near that (a long 身分事項 is about a third of a page).
    place(block);
  });
  if (y + closing.height > BODY.bottom && y > BODY.top) newPage();
  place(closing);
  return pages;
}
