// The registry's error codes (docs/errors.md lists them; a test keeps the two in sync).
import { errorFactory, type ErrorCatalogue } from '../../kernel/errors.ts';

export const registryErrors = {
  REGISTRY_MUNICIPALITY_NOT_FOUND: { status: 404, title: '指定された地方公共団体は登録されていません / Unknown municipality' },
  REGISTRY_MUNICIPALITY_EXISTS: { status: 409, title: 'この地方公共団体は登録済みです / Municipality already registered' },
  REGISTRY_LG_CODE_INVALID: { status: 400, title: '地方公共団体コードが不正です / Invalid local government code' },
  REGISTRY_RESIDENT_NOT_FOUND: { status: 404, title: '住民が見つかりません / Resident not found' },
  REGISTRY_RESIDENT_CODE_INVALID: { status: 400, title: '住民票コードが不正です / Invalid resident record code' },
  REGISTRY_INDIVIDUAL_NUMBER_INVALID: { status: 400, title: '個人番号が不正です / Invalid individual number' },
  REGISTRY_HOUSEHOLD_NOT_FOUND: { status: 404, title: '世帯が見つかりません / Household not found' },
  REGISTRY_HOUSEHOLD_HEAD_MISSING: { status: 422, title: '世帯主がいません / Household has no head' },
  REGISTRY_HOUSEHOLD_HEAD_DUPLICATE: { status: 422, title: '世帯主が複数います / Household has more than one head' },
  REGISTRY_RESIDENT_INVALID: { status: 422, title: '住民の記載事項が不正です / Invalid resident data' },
  REGISTRY_DATE_INVALID: { status: 422, title: '日付が不正です / Invalid date' },
  REGISTRY_RESIDENT_NOT_ACTIVE: { status: 409, title: 'この住民は現在記録されていません（転出・死亡等） / Resident is not currently registered' },
  REGISTRY_MOVE_OUT_PENDING: { status: 409, title: '転出予定の住民です / Resident has a pending move-out' },
  REGISTRY_MOVE_IN_NOT_MOVED_OUT: { status: 409, title: '転出届がされていないため転入できません / Still registered elsewhere without a move-out' },
  REGISTRY_MOVE_IN_SAME_MUNICIPALITY: { status: 409, title: '同一市区町村内の異動は転居届です / Use a 転居 within the same municipality' },
  REGISTRY_VERSION_CONFLICT: { status: 409, title: '他の職員が先に更新しました。再読込してください / Updated by someone else; reload' },
  REGISTRY_SEAL_ALREADY_REGISTERED: { status: 409, title: '印鑑登録済みです / A seal is already registered' },
  REGISTRY_SEAL_NOT_FOUND: { status: 404, title: '印鑑登録が見つかりません / Seal registration not found' },
  REGISTRY_SEAL_ALREADY_ABOLISHED: { status: 409, title: 'この印鑑登録は廃止済みです / Seal registration already abolished' },
  REGISTRY_SEAL_NOT_ELIGIBLE: { status: 422, title: '印鑑登録できません（15歳未満等） / Not eligible for seal registration' },
  REGISTRY_SEAL_IMAGE_INVALID: { status: 422, title: '印影の画像が不正です / Invalid seal image' },
  REGISTRY_TAX_RECORD_INVALID: { status: 422, title: '課税情報が不正です / Invalid tax record' },
  REGISTRY_FAMILY_REGISTER_NOT_FOUND: { status: 404, title: '戸籍が見つかりません / Family register not found' },
  REGISTRY_IMPORT_INVALID: { status: 422, title: '取込ファイルに誤りがあるため、何も取り込んでいません / Import rejected; nothing imported' },
  REGISTRY_IMPORT_MALFORMED: { status: 400, title: 'CSVの形式が不正です / Malformed CSV' },
  REGISTRY_SEED_NOT_EMPTY: { status: 409, title: '住民が登録済みの地方公共団体には合成データを作成できません / Municipality already has residents' },
  REGISTRY_NUMBER_GENERATIONS_EXHAUSTED: { status: 409, title: '個人番号の再指定の上限に達しました / No more number generations for this resident code' },
  REGISTRY_PURPOSE_REQUIRED: { status: 400, title: '利用目的（purpose）の指定が必要です / A purpose is required to read personal data' },
} as const satisfies ErrorCatalogue;

export type RegistryErrorCode = keyof typeof registryErrors;
export const registryError = errorFactory(registryErrors);
