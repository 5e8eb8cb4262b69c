// What each certificate says, from the municipality's registry: the six types of the seeds, with the kiosk's options and the service's rules.
import type { ReadContext, RegistryService, ResidentRecord } from '../../registry/index.ts';
import type { CertificateDocument, CertificateKind, DocumentSection } from '../documents/certificate-document.ts';
import { japaneseEraDate } from '../documents/japanese-era.ts';
import type { ChosenOptions } from './certificate-options.ts';

/** A certificate's body, before the server adds issuer, serial number and date. */
export type CertificateContent = Pick<CertificateDocument, 'kind' | 'title' | 'sections' | 'certification' | 'notes' | 'sealImage'>;

/** Thrown when the service's rules refuse a certificate; the message is shown at the kiosk. */
export class RuleRefusal extends Error {}

const SEX = { male: '男', female: '女' } as const;
const date = (iso: string | null) => (iso ? japaneseEraDate(iso) : '');

/** Everything a certificate may need about the person, read once (each read is audited under the person). */
export interface PersonData {
  resident: ResidentRecord;
  household: ResidentRecord[];
}

/** Reads the person (by 住民票コード) and their household in one audited read; refuses someone not (or no longer) registered here. */
export async function readPerson(registry: RegistryService, read: ReadContext, residentCode: string): Promise<PersonData> {
  try {
    return await registry.getResidentWithHousehold(read, residentCode);
  } catch (error) {
    if ((error as { code?: string }).code === 'REGISTRY_RESIDENT_NOT_FOUND') throw new RuleRefusal('この市区町村に住民票がありません。');
    throw error;
  }
}

/** The household may use the service: nobody in it has a 転出予定. */
function requireNoPendingMoveOut(person: PersonData): void {
  if (person.household.some((m) => m.status === 'moving_out')) {
    throw new RuleRefusal('転出の届出をされている世帯の証明書はコンビニ交付では発行できません。市区町村の窓口をご利用ください。');
  }
}

function fullName(r: { familyName: string; givenName: string }): string {
  return `${r.familyName}　${r.givenName}`;
}

function juminhyo(person: PersonData, options: ChosenOptions): CertificateContent {
  requireNoPendingMoveOut(person);
  const chosen = options.members === 'all' || options.members === undefined
    ? person.household.filter((m) => m.status === 'active' || m.status === 'moving_out')
    : person.household.filter((m) => (options.members as string[]).includes(m.id));
  if (chosen.length === 0) throw new RuleRefusal('記載する人を選んでください。');
  const head = person.household.find((m) => m.relationship === '世帯主');
  const common: DocumentSection = {
    type: 'fields',
    rows: [
      { label: '住所', value: person.resident.address },
      { label: '世帯主', value: head ? fullName(head) : '' },
      ...(options.showHonseki ? [{ label: '本籍', value: person.resident.honseki ?? '' }, { label: '筆頭者', value: person.resident.hittosha ?? '' }] : []),
    ],
  };
  const columns = [
    { header: '氏名', weight: 2 }, { header: '生年月日', weight: 2 }, { header: '性別', weight: 0.7 },
    ...(options.showRelationship === false ? [] : [{ header: '続柄', weight: 1 }]),
    { header: '住民となった日', weight: 2 }, { header: '住民票コード', weight: 1.6 },
  ];
  const row = (m: ResidentRecord) => [
    fullName(m), date(m.birthDate), SEX[m.sex],
    ...(options.showRelationship === false ? [] : [m.relationship]),
    date(m.registeredOn), '（省略）',
  ];
  const whole = options.members === 'all' || options.members === undefined;
  const sections: DocumentSection[] = options.layout === 'individual'
    ? chosen.flatMap((m): DocumentSection[] => [{ type: 'fields', heading: fullName(m), rows: [
      { label: '氏名', value: fullName(m) }, { label: '生年月日', value: date(m.birthDate) }, { label: '性別', value: SEX[m.sex] },
      ...(options.showRelationship === false ? [] : [{ label: '続柄', value: m.relationship }]),
      { label: '住所', value: m.address }, { label: '住民となった日', value: date(m.registeredOn) },
      ...(options.showHonseki ? [{ label: '本籍', value: m.honseki ?? '' }, { label: '筆頭者', value: m.hittosha ?? '' }] : []),
    ] }])
    : [common, { type: 'table', heading: '世帯員', columns, rows: chosen.map(row) }];
  return {
    kind: 'juminhyo', title: '住民票の写し', sections,
    certification: `この写しは、${whole ? '世帯全員' : '世帯の一部'}の住民票の原本と相違ないことを証明する。`,
    notes: ['個人番号及び住民票コードの記載を省略しています。', 'この証明書はコンビニ交付により発行されました。'],
  };
}

function kisaiJiko(person: PersonData, options: ChosenOptions): CertificateContent {
  requireNoPendingMoveOut(person);
  const r = person.resident;
  return {
    kind: 'juminhyo_kisai_jiko', title: '住民票記載事項証明書',
    sections: [{ type: 'fields', rows: [
      { label: '氏名', value: fullName(r) }, { label: '生年月日', value: date(r.birthDate) }, { label: '性別', value: SEX[r.sex] },
      { label: '住所', value: r.address }, { label: '住民となった日', value: date(r.registeredOn) },
      ...(options.showHonseki ? [{ label: '本籍', value: r.honseki ?? '' }, { label: '筆頭者', value: r.hittosha ?? '' }] : []),
    ] }],
    certification: '上記の事項は、住民票に記載されている事項と相違ないことを証明する。',
    notes: ['個人番号の記載を省略しています。'],
  };
}

async function inkan(registry: RegistryService, read: ReadContext, person: PersonData): Promise<CertificateContent> {
  const r = person.resident;
  const seal = (await registry.listSeals(read, r.id)).find((s) => s.status === 'registered');
  if (!seal) throw new RuleRefusal('印鑑登録がありません。印鑑登録証明書は発行できません。');
  const image = await registry.getSealImage(read, seal.id);
  return {
    kind: 'inkan', title: '印鑑登録証明書',
    sections: [{ type: 'fields', rows: [
      { label: '氏名', value: fullName(r) }, { label: '生年月日', value: date(r.birthDate) }, { label: '性別', value: SEX[r.sex] },
      { label: '住所', value: r.address }, { label: '登録番号', value: seal.registrationNo },
    ] }],
    sealImage: { png: await toPng(image.image, image.imageType) },
    certification: 'この写しは、登録されている印影と相違ないことを証明する。',
  };
}

async function tax(registry: RegistryService, read: ReadContext, person: PersonData, options: ChosenOptions): Promise<CertificateContent> {
  const r = person.resident;
  const record = (await registry.listTaxRecords(read, r.id)).find((t) => t.fiscalYear === options.fiscalYear);
  if (!record) throw new RuleRefusal('その年度の課税データがありません。');
  const yen = (n: number) => `${n.toLocaleString('ja-JP')}円`;
  return {
    kind: 'tax', title: '所得・課税証明書',
    sections: [
      { type: 'fields', rows: [{ label: '年度', value: `${record.fiscalYear}年度（${record.fiscalYear - 1}年中の所得）` }, { label: '氏名', value: fullName(r) }, { label: '住所', value: r.address }] },
      { type: 'table', heading: '所得・課税の状況', columns: [{ header: '総所得金額' }, { header: '市区町村民税・都道府県民税（年税額）' }], rows: [[yen(record.incomeYen), yen(record.taxYen)]] },
    ],
    certification: '上記のとおり相違ないことを証明する。',
  };
}

async function koseki(registry: RegistryService, read: ReadContext, target: { honseki: string; hittosha: string; residentCode: string }, kind: 'koseki' | 'koseki_fuhyo', options: ChosenOptions): Promise<CertificateContent> {
  const register = (await registry.findFamilyRegisters(read, { honseki: target.honseki, hittosha: target.hittosha }))[0];
  if (!register || !register.members.some((m) => m.residentCode === target.residentCode)) throw new RuleRefusal('本籍地の戸籍が見つかりません。本籍地の市区町村にお問い合わせください。');
  const members = kind === 'koseki' && options.scope === 'individual' ? register.members.filter((m) => m.residentCode === target.residentCode) : register.members;
  const head = [{ label: '本籍', value: register.honseki }, { label: '氏名', value: register.hittosha }];
  if (kind === 'koseki_fuhyo') {
    return {
      kind, title: '戸籍の附票の写し',
      sections: [{ type: 'fields', rows: head }, { type: 'table', heading: '附票に記録されている者', columns: [{ header: '氏名', weight: 2 }, { header: '生年月日', weight: 2 }, { header: '住所', weight: 4 }], rows: members.map((m) => [fullName(m), date(m.birthDate), m.residentCode ? '（住所は住所地の市区町村に照会）' : '']) }],
      certification: 'この写しは、戸籍の附票の原本と相違ないことを証明する。',
    };
  }
  return {
    kind, title: options.scope === 'individual' ? '戸籍個人事項証明書' : '戸籍全部事項証明書',
    sections: [
      { type: 'fields', heading: '戸籍事項', rows: head },
      ...members.map((m): DocumentSection => ({ type: 'fields', heading: '戸籍に記録されている者', rows: [
        { label: '名', value: m.givenName }, { label: '生年月日', value: date(m.birthDate) }, { label: '性別', value: SEX[m.sex] }, { label: '続柄', value: m.relationship },
      ] })),
    ],
    certification: options.scope === 'individual' ? 'これは、戸籍中の一部の者について記録されている事項の全部を証明した書面である。' : 'これは、戸籍に記録されている事項の全部を証明した書面である。',
  };
}

/** PNG bytes of a seal image (the registry keeps PNG, JPEG or SVG; the PDF takes PNG). */
async function toPng(image: Uint8Array, type: string): Promise<Uint8Array> {
  if (type === 'image/png') return image;
  const { createCanvas, loadImage } = await import('@napi-rs/canvas');
  const source = await loadImage(Buffer.from(image));
  const canvas = createCanvas(Math.max(1, source.width), Math.max(1, source.height));
  canvas.getContext('2d').drawImage(source, 0, 0);
  return new Uint8Array(canvas.toBuffer('image/png'));
}

/** The body of one certificate of `kind` for the person; throws RuleRefusal when the rules say no. */
export async function certificateContent(
  registry: RegistryService, read: ReadContext, kind: CertificateKind, person: PersonData | null, options: ChosenOptions,
  honseki?: { honseki: string; hittosha: string; residentCode: string },
): Promise<CertificateContent> {
  if (kind === 'koseki' || kind === 'koseki_fuhyo') {
    if (!honseki) throw new RuleRefusal('本籍地の利用登録がありません。');
    return koseki(registry, read, honseki, kind, options);
  }
  if (!person) throw new RuleRefusal('住民票がありません。');
  switch (kind) {
    case 'juminhyo': return juminhyo(person, options);
    case 'juminhyo_kisai_jiko': return kisaiJiko(person, options);
    case 'inkan': return inkan(registry, read, person);
    case 'tax': return tax(registry, read, person, options);
  }
}
