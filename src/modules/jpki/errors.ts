// The JPKI module's error codes (docs/errors.md lists them; a test keeps the two in sync).
import { errorFactory, type ErrorCatalogue } from '../../kernel/errors.ts';

export const jpkiErrors = {
  JPKI_CA_NOT_INITIALISED: { status: 409, title: '認証局が初期化されていません（myna-platform jpki init） / CA not initialised' },
  JPKI_KEY_NOT_FOUND: { status: 500, title: '鍵が見つかりません / Key not found in the key store' },
  JPKI_KEY_UNSEALING_FAILED: { status: 500, title: '鍵を復号できません（鍵保管庫の鍵が違います） / Key store key does not open this key' },
} as const satisfies ErrorCatalogue;

export type JpkiErrorCode = keyof typeof jpkiErrors;
export const jpkiError = errorFactory(jpkiErrors);
