// TypeBox schemas of the registry's HTTP API: request bodies and the records it returns (they also feed the OpenAPI at /docs).
import { Type, type TSchema } from 'typebox';
import { RELATIONSHIPS } from '../import-row.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/** Dates travel as `YYYY-MM-DD`; the use cases check them and explain what is wrong (REGISTRY_DATE_INVALID). */
const IsoDate = (description: string) => Type.String({ maxLength: 10, description: `${description}（YYYY-MM-DD）`, examples: ['2026-11-24'] });
/** Date-times leave as ISO 8601 strings; handlers may hand over Date objects. */
const DateTime = Type.Unsafe<Date | string>({ type: 'string', format: 'date-time' });

export const Relationship = Type.Enum(RELATIONSHIPS, { description: '続柄（世帯主との関係）' });
export const Sex = Type.Enum(['male', 'female'] as const, { description: '性別' });
export const ResidentStatus = Type.Enum(['active', 'moving_out', 'moved_out', 'deceased'] as const, {
  description: '状態: active 記録中, moving_out 転出予定, moved_out 転出済み, deceased 死亡',
});
export const Uuid = Type.String({ format: 'uuid' });
export const Purpose = Type.String({ minLength: 1, maxLength: 200, description: '利用目的（監査記録に残ります）', examples: ['住民票の写しの交付'] });

/** Every error: application/problem+json (docs/errors.md). */
export const Problem = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  code: Type.String({ description: '安定したエラーコード（docs/errors.md）' }),
  detail: Type.Optional(Type.String()),
  instance: Type.Optional(Type.String()),
  problems: Type.Optional(Type.Array(Type.Object({
    line: Type.Optional(Type.Integer()),
    field: Type.Optional(Type.String()),
    reason: Type.String(),
    code: Type.Optional(Type.String()),
  }))),
});

/** The error responses every registry route may give. */
export const problemResponses = {
  '4xx': { description: 'エラー（application/problem+json）', content: { 'application/problem+json': { schema: Problem } } },
  '5xx': { description: 'サーバーエラー（application/problem+json）', content: { 'application/problem+json': { schema: Problem } } },
} as const;

export const Municipality = Type.Object({
  lgCode: Type.String({ description: '全国地方公共団体コード（6桁）' }),
  name: Type.String(),
  nameKana: Type.String(),
  prefecture: Type.String(),
  population: Type.Integer(),
}, { description: '地方公共団体' });

export const ResidentRecord = Type.Object({
  id: Uuid,
  lgCode: Type.String(),
  residentCode: Type.String({ description: '住民票コード（11桁）' }),
  individualNumber: Type.String({ description: '個人番号（12桁）。URLやログには決して含めないこと' }),
  householdId: Uuid,
  householdNo: Type.String(),
  relationship: Relationship,
  familyName: Type.String(),
  givenName: Type.String(),
  familyNameKana: Type.String(),
  givenNameKana: Type.String(),
  birthDate: Type.String(),
  sex: Sex,
  postalCode: Type.String(),
  address: Type.String(),
  honseki: Nullable(Type.String()),
  hittosha: Nullable(Type.String()),
  nationality: Nullable(Type.String()),
  residenceStatus: Nullable(Type.String()),
  residenceExpiry: Nullable(Type.String()),
  residenceCardNumber: Nullable(Type.String()),
  aliasName: Nullable(Type.String()),
  status: ResidentStatus,
  registeredOn: Type.String(),
  movedOutOn: Nullable(Type.String()),
  movedOutTo: Nullable(Type.String()),
  diedOn: Nullable(Type.String()),
  version: Type.Integer({ description: '版（職権修正の expectedVersion に渡す）' }),
}, { description: '住民票（個人番号を含む）' });

export const ResidentSummary = Type.Object({
  id: Uuid,
  residentCode: Type.String(),
  householdNo: Type.String(),
  familyName: Type.String(),
  givenName: Type.String(),
  familyNameKana: Type.String(),
  givenNameKana: Type.String(),
  birthDate: Type.String(),
  sex: Sex,
  address: Type.String(),
  status: ResidentStatus,
});

export const SearchResult = Type.Object({ total: Type.Integer(), items: Type.Array(ResidentSummary) }, { description: '検索結果（個人番号は含まない）' });

export const Household = Type.Object({
  id: Uuid,
  lgCode: Type.String(),
  householdNo: Type.String(),
  address: Type.String(),
  postalCode: Type.String(),
  members: Type.Array(ResidentSummary),
  headId: Nullable(Uuid),
}, { description: '世帯（世帯主が先頭）' });

const Changes = Nullable(Type.Object({}, { additionalProperties: true }));

export const ResidentEvent = Type.Object({
  id: Type.Integer(),
  kind: Type.Enum(['import', 'birth', 'move_in', 'move_within', 'move_out', 'move_out_completed', 'death', 'name_change', 'correction', 'number_reissue'] as const),
  occurredOn: Type.String(),
  recordedAt: DateTime,
  staff: Type.String(),
  before: Changes,
  after: Changes,
  note: Nullable(Type.String()),
}, { description: '異動履歴の1件（個人番号は含まない）' });

export const SealRegistration = Type.Object({
  id: Uuid,
  residentId: Uuid,
  registrationNo: Type.String({ description: '印鑑登録番号' }),
  imageType: Type.String(),
  status: Type.Enum(['registered', 'abolished'] as const),
  registeredOn: Type.String(),
  abolishedOn: Nullable(Type.String()),
}, { description: '印鑑登録' });

export const TaxRecord = Type.Object({
  residentId: Uuid,
  fiscalYear: Type.Integer({ description: '年度' }),
  incomeYen: Type.Integer({ description: '所得（円）' }),
  taxYen: Type.Integer({ description: '課税額（円）' }),
}, { description: '課税情報（年度ごと）' });

export const FamilyRegister = Type.Object({
  id: Uuid,
  lgCode: Type.String(),
  honseki: Type.String({ description: '本籍' }),
  hittosha: Type.String({ description: '筆頭者' }),
  members: Type.Array(Type.Object({
    position: Type.Integer(),
    familyName: Type.String(),
    givenName: Type.String(),
    birthDate: Type.String(),
    sex: Sex,
    relationship: Type.String(),
    residentCode: Nullable(Type.String()),
  })),
}, { description: '戸籍（本籍・筆頭者・在籍者）' });

export const ImportSummary = Type.Object({
  lgCode: Type.String(),
  residents: Type.Integer(),
  households: Type.Integer(),
  firstResidentCodeSequence: Type.Integer(),
  elapsedMs: Type.Integer(),
}, { description: '取込結果' });

/** Optional fields of a person; omitted means none (null). */
const personFields = {
  familyName: Type.String({ maxLength: 100, description: '氏' }),
  givenName: Type.String({ maxLength: 100, description: '名' }),
  familyNameKana: Type.String({ maxLength: 100, description: '氏のフリガナ（全角カタカナ）' }),
  givenNameKana: Type.String({ maxLength: 100, description: '名のフリガナ（全角カタカナ）' }),
  birthDate: IsoDate('生年月日'),
  sex: Sex,
  honseki: Type.Optional(Nullable(Type.String({ maxLength: 300, description: '本籍（日本人住民）' }))),
  hittosha: Type.Optional(Nullable(Type.String({ maxLength: 100, description: '筆頭者（日本人住民）' }))),
  nationality: Type.Optional(Nullable(Type.String({ maxLength: 100, description: '国籍・地域（外国人住民のみ）' }))),
  residenceStatus: Type.Optional(Nullable(Type.String({ maxLength: 100, description: '在留資格' }))),
  residenceExpiry: Type.Optional(Nullable(IsoDate('在留期間の満了日'))),
  residenceCardNumber: Type.Optional(Nullable(Type.String({ maxLength: 20, description: '在留カード等の番号' }))),
  aliasName: Type.Optional(Nullable(Type.String({ maxLength: 100, description: '通称' }))),
};

/** A person entering the register by birth. */
export const NewPerson = Type.Object({ relationship: Relationship, ...personFields }, { additionalProperties: false });
/** A person arriving from outside the deployment; the 続柄 is the request's `relationship`. */
export const ArrivingPerson = Type.Object({ relationship: Type.Optional(Relationship), ...personFields }, { additionalProperties: false });

export const HouseholdTarget = Type.Union([
  Type.Object({ householdId: Uuid }, { additionalProperties: false }),
  Type.Object({
    newHousehold: Type.Object({
      address: Type.String({ maxLength: 300, description: '住所' }),
      postalCode: Type.String({ maxLength: 8, description: '郵便番号（7桁）' }),
    }, { additionalProperties: false }),
  }, { additionalProperties: false }),
], { description: '既存の世帯（householdId）か、新しい世帯（newHousehold）' });

export const BirthBody = Type.Object({
  householdId: Uuid,
  person: NewPerson,
  occurredOn: IsoDate('出生日（生年月日と同じ）'),
}, { additionalProperties: false });

export const MoveInBody = Type.Object({
  fromResidentCode: Type.Optional(Type.String({ maxLength: 11, description: '転出届済みの住民票コード（この基盤内の他市区町村からの転入）' })),
  person: Type.Optional(ArrivingPerson),
  relationship: Relationship,
  target: HouseholdTarget,
  occurredOn: IsoDate('転入日'),
}, { additionalProperties: false });

export const MoveWithinBody = Type.Object({
  target: HouseholdTarget,
  relationship: Relationship,
  occurredOn: IsoDate('転居日'),
  newHeadId: Type.Optional(Uuid),
}, { additionalProperties: false });

export const MoveOutBody = Type.Object({
  destination: Type.String({ maxLength: 300, description: '転出先' }),
  plannedOn: IsoDate('転出予定日（14日後まで）'),
  newHeadId: Type.Optional(Uuid),
}, { additionalProperties: false });

export const DeathBody = Type.Object({
  diedOn: IsoDate('死亡日'),
  newHeadId: Type.Optional(Uuid),
}, { additionalProperties: false });

export const NameChangeBody = Type.Object({
  familyName: personFields.familyName,
  givenName: personFields.givenName,
  familyNameKana: personFields.familyNameKana,
  givenNameKana: personFields.givenNameKana,
  occurredOn: IsoDate('氏名変更の日'),
  reason: Type.String({ maxLength: 300, description: '事由（婚姻など）' }),
}, { additionalProperties: false });

export const CorrectionBody = Type.Object({
  expectedVersion: Type.Integer({ minimum: 1, description: '参照した記録の version' }),
  reason: Type.String({ maxLength: 300, description: '修正の事由' }),
  changes: Type.Object({
    familyName: Type.Optional(personFields.familyName),
    givenName: Type.Optional(personFields.givenName),
    familyNameKana: Type.Optional(personFields.familyNameKana),
    givenNameKana: Type.Optional(personFields.givenNameKana),
    birthDate: Type.Optional(personFields.birthDate),
    sex: Type.Optional(Sex),
    postalCode: Type.Optional(Type.String({ maxLength: 8 })),
    address: Type.Optional(Type.String({ maxLength: 300 })),
    honseki: personFields.honseki,
    hittosha: personFields.hittosha,
    nationality: personFields.nationality,
    residenceStatus: personFields.residenceStatus,
    residenceExpiry: personFields.residenceExpiry,
    residenceCardNumber: personFields.residenceCardNumber,
    aliasName: personFields.aliasName,
  }, { additionalProperties: false, description: '修正する項目だけを指定' }),
}, { additionalProperties: false });

export const ReissueBody = Type.Object({
  reason: Type.String({ maxLength: 300, description: '番号変更の理由（漏えい等）' }),
}, { additionalProperties: false });

export const SealBody = Type.Object({
  image: Type.String({ pattern: '^[A-Za-z0-9+/]*={0,2}$', contentEncoding: 'base64', description: '印影の画像（base64、200KB以下）' }),
  imageType: Type.String({ maxLength: 50, description: 'image/png, image/jpeg または image/svg+xml' }),
  registeredOn: IsoDate('登録日'),
}, { additionalProperties: false });

export const AbolishBody = Type.Object({ abolishedOn: IsoDate('廃止日') }, { additionalProperties: false });

export const TaxBody = Type.Object({
  incomeYen: Type.Integer({ description: '所得（円、0以上）' }),
  taxYen: Type.Integer({ description: '課税額（円、0以上）' }),
}, { additionalProperties: false });

export const SearchBody = Type.Object({
  purpose: Purpose,
  query: Type.Object({
    familyNameKana: Type.Optional(Type.String({ maxLength: 100 })),
    givenNameKana: Type.Optional(Type.String({ maxLength: 100 })),
    familyName: Type.Optional(Type.String({ maxLength: 100 })),
    birthDate: Type.Optional(Type.String({ maxLength: 10 })),
    householdNo: Type.Optional(Type.String({ maxLength: 20 })),
    residentCode: Type.Optional(Type.String({ maxLength: 11 })),
    individualNumber: Type.Optional(Type.String({ maxLength: 12, description: '個人番号（完全一致）。URLには決して含めず、この本文でのみ送ります' })),
    status: Type.Optional(ResidentStatus),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0 })),
  }, { additionalProperties: false }),
}, { additionalProperties: false });
