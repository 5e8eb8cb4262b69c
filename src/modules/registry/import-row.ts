// The shape of one resident as it enters the registry in bulk: a row of the import CSV, or a
// person made by the synthetic seed generator. Both feed the same import pipeline.

/** 性別 as recorded in the resident record. */
export type Sex = 'male' | 'female';

/** 続柄 (relationship to the household head) as written on the 住民票 since 1995. */
export const RELATIONSHIPS = [
  '世帯主', '妻', '夫', '子', '父', '母', '孫', '兄', '弟', '姉', '妹', '祖父', '祖母',
  '夫の父', '夫の母', '妻の父', '妻の母', '子の妻', '子の夫', '同居人', '縁故者', '未届の妻', '未届の夫',
] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

/**
 * One person to register. Rows sharing `householdKey` form one 世帯; exactly one of them has
 * `relationship: '世帯主'`. Dates are ISO `YYYY-MM-DD`. Empty optional fields are `null`.
 * `nationality` null means a Japanese national; foreign residents (外国人住民) give nationality
 * and their 在留資格 fields, and have no 本籍/筆頭者.
 */
export interface ResidentImportRow {
  householdKey: string;
  relationship: Relationship;
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  birthDate: string;
  sex: Sex;
  postalCode: string;
  address: string;
  honseki: string | null;
  hittosha: string | null;
  nationality: string | null;
  residenceStatus: string | null;
  residenceExpiry: string | null;
  residenceCardNumber: string | null;
  aliasName: string | null;
  /** 住民となった年月日. */
  registeredOn: string;
}
