// The issuance module's error codes (docs/errors.md lists them; a test keeps the two in sync). Titles are what the kiosk shows.
import { errorFactory, type ErrorCatalogue } from '../../kernel/errors.ts';

export const issuanceErrors = {
  ISSUANCE_SERVICE_CLOSED: { status: 409, title: 'ただいまの時間はご利用いただけません / The service is closed now' },
  ISSUANCE_KIOSK_UNKNOWN: { status: 401, title: '登録されていない端末です / Unknown kiosk' },
  ISSUANCE_SESSION_NOT_FOUND: { status: 404, title: '受付が見つかりません。最初からやり直してください / Session not found' },
  ISSUANCE_SESSION_EXPIRED: { status: 409, title: '受付の有効時間が過ぎました。最初からやり直してください / The session has expired' },
  ISSUANCE_SESSION_STATE: { status: 409, title: 'この手続きは今はできません。最初からやり直してください / Not possible at this step' },
  ISSUANCE_CHALLENGE_USED: { status: 409, title: 'この認証は使用済みです。最初からやり直してください / Challenge already used' },
  ISSUANCE_CERTIFICATE_UNTRUSTED: { status: 422, title: 'このカードはご利用いただけません（電子証明書を確認できません） / Certificate not trusted' },
  ISSUANCE_CARD_REVOKED: { status: 422, title: 'このカードの電子証明書は失効しています。市区町村の窓口にお問い合わせください / The card\'s certificate is revoked' },
  ISSUANCE_CARD_SUSPENDED: { status: 422, title: 'このカードは一時停止中です。コールセンターまたは市区町村の窓口にお問い合わせください / The card is suspended' },
  ISSUANCE_SIGNATURE_INVALID: { status: 422, title: 'カードの認証に失敗しました。もう一度カードを置いてください / Card signature invalid' },
  ISSUANCE_MUNICIPALITY_NOT_PARTICIPATING: { status: 422, title: 'お住まいの市区町村はコンビニ交付を実施していません / The municipality does not take part' },
  ISSUANCE_TYPE_NOT_OFFERED: { status: 422, title: 'この証明書は取り扱っていません / Certificate type not offered' },
  ISSUANCE_RULE_REFUSED: { status: 422, title: 'この証明書はコンビニ交付では発行できません。市区町村の窓口をご利用ください / Refused by the municipality\'s rules' },
  ISSUANCE_COPIES_INVALID: { status: 400, title: '通数は1〜10通です / Copies must be 1–10' },
  ISSUANCE_OPTIONS_INVALID: { status: 400, title: '選択内容が正しくありません / Invalid options' },
  ISSUANCE_ORDER_NOT_FOUND: { status: 404, title: 'ご注文が見つかりません / Order not found' },
  ISSUANCE_PAYMENT_INSUFFICIENT: { status: 422, title: '投入金額が足りません / Not enough money inserted' },
  ISSUANCE_NOT_PAID: { status: 409, title: 'お支払いが済んでいません / Not paid' },
  ISSUANCE_MUNICIPAL_SERVER_FAILED: { status: 502, title: '市区町村の証明発行サーバに接続できません。しばらくしてからご利用ください / The municipal certificate server failed' },
  ISSUANCE_CENTRE_UNAUTHORISED: { status: 401, title: '証明書交付センターの認証情報がありません / Centre credential missing' },
  ISSUANCE_REQUEST_INVALID: { status: 400, title: '要求の内容が正しくありません / Invalid request' },
  ISSUANCE_MAINTENANCE_NOT_FOUND: { status: 404, title: '保守による停止の予定が見つかりません / Maintenance window not found' },
} as const satisfies ErrorCatalogue;

export type IssuanceErrorCode = keyof typeof issuanceErrors;
export const issuanceError = errorFactory(issuanceErrors);
