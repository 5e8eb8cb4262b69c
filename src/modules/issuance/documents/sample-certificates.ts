// Synthetic certificates of all six kinds (a household of four in 東京都三鷹市, its 戸籍, a 令和7年度 tax certificate…) for tests, demos and benchmarks. Every person is invented.
import { createRequire } from 'node:module';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import type { CertificateDocument, CertificateIssuer, CertificateKind, TableSection } from './certificate-document.ts';
import { japaneseEraDate } from './japanese-era.ts';

/** 三鷹市 with an invented mayor. */
export const SAMPLE_ISSUER: CertificateIssuer = {
  lgCode: '132047', prefecture: '東京都', municipalityName: '三鷹市', mayorTitle: '三鷹市長', mayorName: '鷹野 太郎',
};

const ADDRESS = '東京都三鷹市下連雀三丁目12番5号';
const HONSEKI = '東京都三鷹市野崎一丁目1番地';

interface Member {
  name: string;
  kana: string;
  birth: string;
  sex: '男' | '女';
  relationship: string;
  residentSince: string;
  addressSince: string;
  note: string;
}

const FAMILY: Member[] = [
  { name: '鷹野 一郎', kana: 'タカノ イチロウ', birth: '1980-04-12', sex: '男', relationship: '世帯主', residentSince: '2010-04-01', addressSince: '2010-04-01', note: '平成22年4月1日 東京都武蔵野市吉祥寺本町二丁目3番4号から転入' },
  { name: '鷹野 花子', kana: 'タカノ ハナコ', birth: '1982-09-03', sex: '女', relationship: '妻', residentSince: '2010-04-01', addressSince: '2010-04-01', note: '平成22年4月1日 東京都武蔵野市吉祥寺本町二丁目3番4号から転入' },
  { name: '鷹野 翔太', kana: 'タカノ ショウタ', birth: '2012-06-20', sex: '男', relationship: '子', residentSince: '2012-06-20', addressSince: '2012-06-20', note: '平成24年6月28日 出生届出' },
  { name: '鷹野 美咲', kana: 'タカノ ミサキ', birth: '2015-11-08', sex: '女', relationship: '子', residentSince: '2015-11-08', addressSince: '2015-11-08', note: '平成27年11月16日 出生届出' },
];

const GIVEN = ['健太', '陽菜', '大翔', '結衣', '蓮', '美月', '悠真', '葵', '湊', '凛', '樹', '紬', '陽翔', '芽依'];

/** `count` members: the family above, then invented relatives (同居の親族) to reach a large household. */
function household(count: number): Member[] {
  const members = FAMILY.slice(0, count);
  for (let i = members.length; i < count; i++) {
    const given = GIVEN[(i - FAMILY.length) % GIVEN.length]!;
    const year = 1950 + ((i * 7) % 60);
    members.push({
      name: `鷹野 ${given}`, kana: 'タカノ', birth: `${year}-0${1 + (i % 9)}-1${i % 10}`, sex: i % 2 ? '女' : '男',
      relationship: i % 3 ? '縁故者' : '同居人', residentSince: '2020-04-01', addressSince: '2020-04-01', note: '令和2年4月1日 東京都調布市布田一丁目1番1号から転入',
    });
  }
  return members;
}

const era = (iso: string) => japaneseEraDate(iso);
const eraFw = (iso: string) => japaneseEraDate(iso, { digits: 'fullwidth' });

function householdTable(members: Member[]): TableSection {
  return {
    type: 'table',
    heading: '世帯員',
    columns: [
      { header: '氏名', weight: 1.6 }, { header: '生年月日', weight: 1.45 }, { header: '性別', weight: 0.45 },
      { header: '続柄', weight: 0.65 }, { header: '住民となった日\n住所を定めた日', weight: 1.45 }, { header: '記事', weight: 2.1 },
    ],
    rows: members.map((m) => [`${m.name}\n（${m.kana}）`, era(m.birth), m.sex, m.relationship, `${era(m.residentSince)}\n${era(m.addressSince)}`, m.note]),
  };
}

const FONT_ALIAS = 'NotoSansJP-seal-sample';
let sealFontLoaded = false;
const sealCache = new Map<string, Uint8Array>();

/**
 * A synthetic registered seal (実印): a red round seal with `surname` engraved top to bottom, as an
 * opaque PNG (an opaque image is embedded as is; one with alpha makes pdfkit decode and split it).
 */
export function syntheticSealPng(surname: string): Uint8Array {
  const cached = sealCache.get(surname);
  if (cached) return cached;
  if (!sealFontLoaded) {
    GlobalFonts.registerFromPath(createRequire(import.meta.url).resolve('@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf'), FONT_ALIAS);
    sealFontLoaded = true;
  }
  const size = 240;
  const canvas = createCanvas(size, size);
  const g = canvas.getContext('2d');
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, size, size);
  g.strokeStyle = '#c8161d';
  g.fillStyle = '#c8161d';
  g.lineWidth = 12;
  g.beginPath();
  g.arc(size / 2, size / 2, size / 2 - 14, 0, Math.PI * 2);
  g.stroke();
  const chars = Array.from(surname);
  const glyph = Math.min(92, Math.floor(170 / chars.length));
  g.font = `${glyph}px ${FONT_ALIAS}`;
  g.textAlign = 'center';
  g.textBaseline = 'middle';
  chars.forEach((c, i) => g.fillText(c, size / 2, size / 2 + (i - (chars.length - 1) / 2) * glyph * 0.98));
  const png = new Uint8Array(canvas.toBuffer('image/png'));
  sealCache.set(surname, png);
  return png;
}

/**
 * One synthetic certificate of `kind`. `members` sizes the 住民票's household (default 4) to
 * exercise pagination: up to about ten fit on one page.
 *
 * @example
 * const doc = sampleCertificate('juminhyo', { serialNumber: '2025-000001', issuedAt: new Date('2025-11-24T01:00:00Z') });
 */
export function sampleCertificate(kind: CertificateKind, options: { serialNumber?: string; issuedAt?: Date; members?: number } = {}): CertificateDocument {
  const base = {
    kind,
    issuer: SAMPLE_ISSUER,
    serialNumber: options.serialNumber ?? '2025-000123',
    issuedAt: options.issuedAt ?? new Date('2025-11-24T01:15:00Z'),
  };
  const head = FAMILY[0]!;
  switch (kind) {
    case 'juminhyo':
      return {
        ...base,
        title: '住民票の写し',
        sections: [
          { type: 'fields', rows: [{ label: '住所', value: ADDRESS }, { label: '世帯主', value: head.name }] },
          householdTable(household(options.members ?? 4)),
        ],
        certification: 'この写しは、世帯全員の住民票の原本と相違ないことを証明する。',
        notes: ['個人番号、住民票コード、本籍・筆頭者の記載を省略しています。', 'この証明書はコンビニエンスストア等で交付されたものです。'],
      };
    case 'juminhyo_kisai_jiko':
      return {
        ...base,
        title: '住民票記載事項証明書',
        sections: [{
          type: 'fields',
          rows: [
            { label: '氏名', value: `${head.name}（${head.kana}）` }, { label: '生年月日', value: era(head.birth) },
            { label: '性別', value: head.sex }, { label: '住所', value: ADDRESS }, { label: '住民となった日', value: era(head.residentSince) },
          ],
        }],
        certification: '上記のとおり住民票に記載されていることを証明する。',
        notes: ['この証明書はコンビニエンスストア等で交付されたものです。'],
      };
    case 'inkan':
      return {
        ...base,
        title: '印鑑登録証明書',
        sealImage: { png: syntheticSealPng('鷹野') },
        sections: [{
          type: 'fields',
          rows: [{ label: '氏名', value: head.name }, { label: '生年月日', value: era(head.birth) }, { label: '住所', value: ADDRESS }],
        }],
        certification: 'この写しは、登録された印影と相違ないことを証明する。',
        notes: ['この証明書はコンビニエンスストア等で交付されたものです。'],
      };
    case 'tax':
      return {
        ...base,
        title: '所得・課税証明書',
        sections: [
          {
            type: 'fields',
            rows: [
              { label: '年度', value: '令和7年度（令和6年1月1日から12月31日までの所得）' },
              { label: '住所', value: ADDRESS }, { label: '氏名', value: head.name }, { label: '生年月日', value: era(head.birth) },
            ],
          },
          {
            type: 'table',
            heading: '所得',
            columns: [{ header: '区分', weight: 2 }, { header: '収入金額', weight: 1, align: 'right' }, { header: '所得金額', weight: 1, align: 'right' }],
            rows: [['給与', '6,200,000円', '4,440,000円'], ['雑（公的年金等以外）', '180,000円', '120,000円'], ['合計所得金額', '', '4,560,000円']],
          },
          {
            type: 'table',
            heading: '控除・税額',
            columns: [{ header: '区分', weight: 2 }, { header: '金額', weight: 2, align: 'right' }],
            rows: [
              ['所得控除額合計', '1,630,000円'], ['課税標準額（総所得金額）', '2,930,000円'],
              ['市民税（所得割・均等割）', '178,800円'], ['都民税（所得割・均等割）', '118,200円'], ['年税額', '297,000円'],
              ['扶養人数（控除対象配偶者・扶養親族）', '配偶者 1人　扶養親族 2人（うち16歳未満 2人）'],
            ],
          },
        ],
        certification: '上記のとおり証明する。',
        notes: ['この証明書はコンビニエンスストア等で交付されたものです。'],
      };
    case 'koseki':
      return {
        ...base,
        title: '戸籍全部事項証明書',
        sections: [
          { type: 'fields', rows: [{ label: '本籍', value: HONSEKI }, { label: '氏名', value: head.name }] },
          { type: 'fields', heading: '戸籍事項', rows: [{ label: '戸籍編製', value: `【編製日】${eraFw('2010-03-15')}` }] },
          kosekiPerson('一郎', '1980-04-12', '鷹野 正', '鷹野 和子', '長男', [
            `出生　【出生日】${eraFw('1980-04-12')}\n　　　【出生地】東京都三鷹市\n　　　【届出日】${eraFw('1980-04-20')}\n　　　【届出人】父`,
            `婚姻　【婚姻日】${eraFw('2010-03-15')}\n　　　【配偶者氏名】山田 花子\n　　　【従前戸籍】東京都武蔵野市吉祥寺本町二丁目３番地　鷹野 正`,
          ]),
          kosekiPerson('花子', '1982-09-03', '山田 誠', '山田 恵子', '長女', [
            `出生　【出生日】${eraFw('1982-09-03')}\n　　　【出生地】神奈川県横浜市\n　　　【届出日】${eraFw('1982-09-10')}\n　　　【届出人】父`,
            `婚姻　【婚姻日】${eraFw('2010-03-15')}\n　　　【配偶者氏名】鷹野 一郎\n　　　【従前戸籍】神奈川県横浜市中区山下町１番地　山田 誠`,
          ]),
          kosekiPerson('翔太', '2012-06-20', '鷹野 一郎', '鷹野 花子', '長男', [
            `出生　【出生日】${eraFw('2012-06-20')}\n　　　【出生地】東京都三鷹市\n　　　【届出日】${eraFw('2012-06-28')}\n　　　【届出人】父`,
          ]),
          kosekiPerson('美咲', '2015-11-08', '鷹野 一郎', '鷹野 花子', '長女', [
            `出生　【出生日】${eraFw('2015-11-08')}\n　　　【出生地】東京都三鷹市\n　　　【届出日】${eraFw('2015-11-16')}\n　　　【届出人】母`,
          ]),
        ],
        certification: 'これは、戸籍に記録されている事項の全部を証明した書面である。',
        notes: ['この証明書はコンビニエンスストア等で交付されたものです。'],
      };
    case 'koseki_fuhyo':
      return {
        ...base,
        title: '戸籍の附票の写し',
        sections: [
          { type: 'fields', rows: [{ label: '本籍', value: HONSEKI }, { label: '氏名', value: head.name }] },
          {
            type: 'table',
            heading: '附票に記録されている者',
            columns: [{ header: '氏名', weight: 1.2 }, { header: '住所', weight: 2.6 }, { header: '住所を定めた日', weight: 1.2 }],
            rows: [
              [head.name, '東京都武蔵野市吉祥寺本町二丁目3番4号', era('2005-04-01')],
              [head.name, ADDRESS, era('2010-04-01')],
              ['鷹野 花子', ADDRESS, era('2010-04-01')],
              ['鷹野 翔太', ADDRESS, era('2012-06-20')],
              ['鷹野 美咲', ADDRESS, era('2015-11-08')],
            ],
          },
        ],
        certification: 'この写しは、戸籍の附票の原本と相違ないことを証明する。',
        notes: ['この証明書はコンビニエンスストア等で交付されたものです。'],
      };
  }
}

function kosekiPerson(given: string, birth: string, father: string, mother: string, relationship: string, events: string[]) {
  return {
    type: 'fields' as const,
    heading: '戸籍に記録されている者',
    rows: [
      { label: '【名】', value: given }, { label: '【生年月日】', value: eraFw(birth) },
      { label: '【父】', value: father }, { label: '【母】', value: mother }, { label: '【続柄】', value: relationship },
      { label: '身分事項', value: events.join('\n') },
    ],
  };
}
