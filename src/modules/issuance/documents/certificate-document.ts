// The certificate a municipal certificate server asks to print (コンビニ交付): the document model every renderer, digest and verifier reads.

/** The six certificates the kiosks issue. */
export type CertificateKind = 'juminhyo' | 'juminhyo_kisai_jiko' | 'inkan' | 'tax' | 'koseki' | 'koseki_fuhyo';

/** Every kind, in the order the kiosk menu lists them (used to validate input). */
export const CERTIFICATE_KINDS: readonly CertificateKind[] = ['juminhyo', 'juminhyo_kisai_jiko', 'inkan', 'tax', 'koseki', 'koseki_fuhyo'];

/** The issuing municipality and its head, whose 公印 the document carries. */
export interface CertificateIssuer {
  /** 地方公共団体コード (6 digits with check digit), e.g. `132047` for 三鷹市. */
  lgCode: string;
  /** 都道府県名, e.g. `東京都`. */
  prefecture: string;
  /** 市区町村名, e.g. `三鷹市`. */
  municipalityName: string;
  /** The head's title as printed before the name and on the seal, e.g. `三鷹市長`. */
  mayorTitle: string;
  /** The head's name (synthetic in demos and tests), e.g. `鷹野 太郎`. */
  mayorName: string;
}

/** One label/value line of a bordered two-column table (本籍, 住所, 所得の種類…). */
export interface FieldRow {
  label: string;
  /** May hold `\n` for several lines (a 身分事項 block of a 戸籍). */
  value: string;
}

/** A two-column table: labels on the left, values on the right. */
export interface FieldsSection {
  type: 'fields';
  /** Printed above the table, e.g. `戸籍に記録されている者`. */
  heading?: string;
  rows: FieldRow[];
}

/** A column of a {@link TableSection}. */
export interface TableColumn {
  header: string;
  /** Relative width; the columns share the body width in proportion (default 1). */
  weight?: number;
  /** Alignment of the column's cells: `right` for amounts; default `left`. */
  align?: 'left' | 'center' | 'right';
}

/**
 * A multi-column table with a header row, one row per person: the 世帯連記式 住民票 (氏名,
 * 生年月日, 性別, 続柄, 住民となった日, …) or the 戸籍の附票's address history. A cell may hold `\n`.
 * Rows never split across pages; the header repeats on a continuation page.
 */
export interface TableSection {
  type: 'table';
  heading?: string;
  columns: TableColumn[];
  rows: string[][];
}

/** The body of a certificate: tables read top to bottom. */
export type DocumentSection = FieldsSection | TableSection;

/**
 * What a municipal certificate server asks to print.
 *
 * @example
 * const doc: CertificateDocument = {
 *   kind: 'juminhyo', title: '住民票の写し', serialNumber: '2025-000123', issuedAt: new Date(),
 *   issuer: { lgCode: '132047', prefecture: '東京都', municipalityName: '三鷹市', mayorTitle: '三鷹市長', mayorName: '鷹野 太郎' },
 *   sections: [{ type: 'fields', rows: [{ label: '住所', value: '東京都三鷹市野崎一丁目1番1号' }] }],
 *   certification: 'この写しは、世帯全員の住民票の原本と相違ないことを証明する。',
 *   notes: ['個人番号の記載を省略しています。'],
 * };
 */
export interface CertificateDocument {
  kind: CertificateKind;
  /** 住民票の写し, 住民票記載事項証明書, 印鑑登録証明書, 所得・課税証明書, 戸籍全部事項証明書 / 戸籍個人事項証明書, 戸籍の附票の写し. */
  title: string;
  issuer: CertificateIssuer;
  /** 発行番号: printed on every page and carried in the verification payload. */
  serialNumber: string;
  /** Printed as 令和N年M月D日 in Japan time. */
  issuedAt: Date;
  sections: DocumentSection[];
  /** 印鑑登録証明書: the registered seal's image (PNG), printed in a framed box. */
  sealImage?: { png: Uint8Array };
  /** The closing certification, e.g. 「この写しは、世帯全員の住民票の原本と相違ないことを証明する。」 */
  certification: string;
  /** Printed as ※ lines above the certification, e.g. 「個人番号の記載を省略しています。」 */
  notes?: string[];
}
