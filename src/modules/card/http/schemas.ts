// Request and response schemas of the card API (OpenAPI at /docs).
import { Type } from 'typebox';

export const Uuid = Type.String({ format: 'uuid' });
/** A Date in responses (serialised as ISO 8601). */
const DateTime = Type.Unsafe<Date | string>({ type: 'string', format: 'date-time' });

const Pin4 = Type.String({ description: '数字4桁' });
export const Pins = Type.Object({
  auth: Pin4,
  sign: Type.Optional(Type.String({ description: '英大文字と数字の6〜16文字（15歳未満は不要）' })),
  kenhojo: Pin4,
  juki: Pin4,
}, { additionalProperties: false, description: '交付時に本人が設定する4種類の暗証番号' });

export const IdentityCheck = Type.Object({
  documents: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 5, examples: [['運転免許証']] }),
  checkedBy: Type.String({ minLength: 1, maxLength: 100 }),
}, { additionalProperties: false, description: '本人確認（確認した書類と確認者）' });

export const Photo = Type.Object({
  base64: Type.String({ maxLength: 3_000_000, description: '顔写真（JPEG または PNG、2MB以下）の base64' }),
  type: Type.Union([Type.Literal('image/jpeg'), Type.Literal('image/png')]),
}, { additionalProperties: false });

const Channel = Type.Union(['mail', 'online', 'visit_at_application', 'mobile_counter'].map((c) => Type.Literal(c)), {
  description: 'mail 郵便 / online オンライン / visit_at_application 申請時来庁方式 / mobile_counter 出張窓口（企業一括申請は /applications/batch）',
});

export const ApplyBody = Type.Object({
  residentId: Uuid,
  channel: Channel,
  photo: Photo,
  identityCheck: Type.Optional(IdentityCheck),
  pins: Type.Optional(Pins),
  place: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  renewalOf: Type.Optional(Uuid),
}, { additionalProperties: false });

export const BatchBody = Type.Object({
  employer: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), corporateNumber: Type.Optional(Type.String({ pattern: '^[0-9]{13}$' })) }, { additionalProperties: false }),
  place: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  applications: Type.Array(Type.Object({ residentId: Uuid, photo: Photo, identityCheck: IdentityCheck }, { additionalProperties: false }), { minItems: 1, maxItems: 1000 }),
}, { additionalProperties: false });

export const HandOverBody = Type.Object({ identityCheck: IdentityCheck, pins: Pins }, { additionalProperties: false });
export const AttributeUpdateBody = Type.Object({ identityCheck: IdentityCheck, signPin: Type.Optional(Type.String()) }, { additionalProperties: false });
export const ReportBody = Type.Object({ reportedBy: Type.String({ minLength: 1, maxLength: 200, examples: ['本人（電話）'] }) }, { additionalProperties: false });
export const InvalidateBody = Type.Object({
  reason: Type.Union([Type.Literal('deceased'), Type.Literal('moved_abroad'), Type.Literal('returned')], { description: '死亡 / 国外転出 / 返納' }),
}, { additionalProperties: false });

export const CardRecord = Type.Object({
  id: Uuid, serial: Type.String(), lgCode: Type.String(), residentCode: Type.String(), applicationId: Uuid,
  status: Type.String({ description: 'produced 作成済み / active 有効 / suspended 一時停止中 / invalid 廃止' }),
  invalidReason: Type.Union([Type.String(), Type.Null()]), issuedOn: Type.String(), expiresOn: Type.String(),
  handedOverAt: Type.Union([DateTime, Type.Null()]), authCertificateId: Type.Union([Uuid, Type.Null()]),
  signCertificateId: Type.Union([Uuid, Type.Null()]), attributesOutdated: Type.Boolean(), replacesCardId: Type.Union([Uuid, Type.Null()]),
  demo: Type.Boolean(), createdAt: DateTime, updatedAt: DateTime,
});

export const ApplicationRecord = Type.Object({
  id: Uuid, lgCode: Type.String(), residentCode: Type.String(), channel: Type.String(), status: Type.String(),
  hasPhoto: Type.Boolean(), identityChecked: Type.Union([IdentityCheck, Type.Null()]),
  employer: Type.Union([Type.Object({ name: Type.String(), corporateNumber: Type.Optional(Type.String()) }), Type.Null()]),
  place: Type.Union([Type.String(), Type.Null()]), renewalOf: Type.Union([Uuid, Type.Null()]), cardId: Type.Union([Uuid, Type.Null()]), receivedAt: DateTime,
});

export const ApduBody = Type.Object({
  apdu: Type.String({ pattern: '^([0-9A-Fa-f]{2}){4,65544}$', description: 'コマンドAPDU（16進数）' }),
}, { additionalProperties: false });

export const FreeAreaBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 40, examples: ['三鷹市立図書館'] }),
  aid: Type.String({ pattern: '^([0-9A-Fa-f]{2}){5,16}$', description: 'アプリの AID（16進数、5〜16バイト）' }),
  type: Type.Union([Type.Literal('A'), Type.Literal('C'), Type.Literal('D'), Type.Literal('custom')], { description: '空き領域のタイプ（A: ID等、C: IDのみ、D: 暗号化したID等、custom: 独自）' }),
  dataBase64: Type.String({ maxLength: 12000, description: 'EF 0001 に書くデータ（base64）' }),
  pin: Type.Optional(Type.String({ pattern: '^[0-9]{4}$', description: '4桁の暗証番号（タイプCは不可）' })),
}, { additionalProperties: false });
