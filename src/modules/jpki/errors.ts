// The JPKI module's error codes (docs/errors.md lists them; a test keeps the two in sync).
import { errorFactory, type ErrorCatalogue } from '../../kernel/errors.ts';

export const jpkiErrors = {
  JPKI_CA_NOT_INITIALISED: { status: 409, title: '認証局が初期化されていません（myna-platform jpki init） / CA not initialised' },
  JPKI_KEY_NOT_FOUND: { status: 500, title: '鍵が見つかりません / Key not found in the key store' },
  JPKI_KEY_UNSEALING_FAILED: { status: 500, title: '鍵を復号できません（鍵保管庫の鍵が違います） / Key store key does not open this key' },
  JPKI_REQUEST_INVALID: { status: 400, title: '要求の内容が正しくありません / Invalid request' },
  JPKI_PUBLIC_KEY_INVALID: { status: 400, title: '公開鍵が RSA-2048（e=65537）の SubjectPublicKeyInfo ではありません / Public key is not an RSA-2048 SubjectPublicKeyInfo' },
  JPKI_SIGNING_UNDER_15: { status: 422, title: '15歳未満の方には署名用電子証明書を発行できません / No signing certificate under the age of 15' },
  JPKI_CARD_EXPIRED: { status: 422, title: 'カードの有効期限が過ぎているため発行できません / The card has expired' },
  JPKI_CERTIFICATE_NOT_FOUND: { status: 404, title: '電子証明書が見つかりません / Certificate not found' },
  JPKI_CERTIFICATE_ALREADY_REVOKED: { status: 409, title: 'この電子証明書は既に失効しています / Certificate already revoked' },
  JPKI_CERTIFICATE_ALREADY_ON_HOLD: { status: 409, title: 'この電子証明書は既に一時停止中です / Certificate already on hold' },
  JPKI_CERTIFICATE_NOT_ON_HOLD: { status: 409, title: 'この電子証明書は一時停止中ではありません / Certificate is not on hold' },
  JPKI_RENEWAL_MISMATCH: { status: 409, title: '更新前の証明書が同じ方の同じ種類の証明書ではありません / The certificate to renew belongs to another holder or kind' },
  JPKI_CRL_NOT_FOUND: { status: 404, title: 'その世代の認証局の CRL はありません / No CRL for that CA generation' },
  JPKI_VERIFIER_UNKNOWN: { status: 401, title: '登録された検証者の認証情報がありません（X-JPKI-Verifier-Key ヘッダ） / Unknown verifier credential' },
  JPKI_VERIFIER_NOT_FOUND: { status: 404, title: '検証者が見つかりません / Verifier not found' },
} as const satisfies ErrorCatalogue;

export type JpkiErrorCode = keyof typeof jpkiErrors;
export const jpkiError = errorFactory(jpkiErrors);
