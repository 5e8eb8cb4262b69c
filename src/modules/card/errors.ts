// The card module's error codes (docs/errors.md lists them; a test keeps the two in sync).
import { errorFactory, type ErrorCatalogue } from '../../kernel/errors.ts';

export const cardErrors = {
  CARD_NOT_FOUND: { status: 404, title: 'カードが見つかりません / Card not found' },
  CARD_APPLICATION_NOT_FOUND: { status: 404, title: '交付申請が見つかりません / Card application not found' },
  CARD_APPLICATION_INVALID: { status: 400, title: '交付申請の内容が正しくありません / Invalid card application' },
  CARD_APPLICATION_PENDING: { status: 409, title: 'この方の交付申請は既に受け付けています / An application for this person is already open' },
  CARD_APPLICATION_STATE: { status: 409, title: 'この交付申請はその処理ができる状態ではありません / The application is not in a state that allows this' },
  CARD_RESIDENT_NOT_ELIGIBLE: { status: 422, title: '住民票が記録中でない方にはカードを交付できません（転出・死亡など） / The resident is not active (moved out, deceased…)' },
  CARD_ALREADY_HELD: { status: 409, title: '有効なカードをお持ちです（更新は有効期限の3か月前から、紛失時は紛失の届出の後に申請できます） / The resident holds a valid card' },
  CARD_STATE_CONFLICT: { status: 409, title: 'カードはその処理ができる状態ではありません / The card is not in a state that allows this' },
  CARD_PIN_FORMAT: { status: 400, title: '暗証番号の形式が正しくありません / PIN format not accepted' },
  CARD_IDENTITY_CHECK_REQUIRED: { status: 400, title: '本人確認書類の確認結果を記録してください / Record the identity check' },
  CARD_FREE_AREA_INVALID: { status: 400, title: '空き領域アプリの内容が正しくありません / Invalid free-area application' },
  CARD_FREE_AREA_FULL: { status: 409, title: 'カードの空き領域が足りません / Not enough free area on the card' },
  CARD_CHIP_UNAVAILABLE: { status: 409, title: 'このカードのICチップはこのプラットフォームにありません（実物のカードはカードリーダーでお使いください） / No virtual chip for this card' },
  CARD_APDU_INVALID: { status: 400, title: 'APDU が正しくありません（16進数、4〜65544バイト） / Invalid APDU' },
  CARD_VIRTUAL_READER_DISABLED: { status: 403, title: '仮想カードリーダーは無効にされています（MYNA_CARD_VIRTUAL_READER） / The virtual card reader is disabled' },
  CARD_PIN_INCORRECT: { status: 401, title: '暗証番号が違います / Incorrect PIN' },
  CARD_PIN_BLOCKED: { status: 423, title: '暗証番号がロックされています（市区町村の窓口で初期化してください） / PIN blocked' },
  CARD_PIN_NOT_SET: { status: 409, title: '暗証番号が設定されていません（交付前のカードです） / PIN not set yet' },
  CARD_SECURITY_STATUS: { status: 403, title: 'カードがこの操作を許可しませんでした（暗証番号の照合が必要です） / The card refused: PIN verification required' },
  CARD_RESPONSE_ERROR: { status: 502, title: 'カードがエラーを返しました / The card answered with an error' },
  // Transports (PC/SC and the vpcd bridge).
  CARD_PCSC_UNAVAILABLE: {
    status: 503,
    title: 'PC/SC ライブラリが読み込めません。apt-get install libpcsclite-dev pcscd && npm install を実行してください / PC/SC library (npm pcsclite) cannot be loaded: run apt-get install libpcsclite-dev pcscd && npm install',
  },
  CARD_PCSC_SERVICE_DOWN: {
    status: 503,
    title: 'PC/SC サービス (pcscd) が起動していません。pcscd --foreground で起動してください / the PC/SC service pcscd is not running: start it with pcscd --foreground',
  },
  CARD_PCSC_FAILED: { status: 502, title: 'PC/SC の操作に失敗しました / PC/SC operation failed' },
  CARD_READER_NOT_FOUND: { status: 404, title: 'カードリーダーが見つかりません / no card reader found' },
  CARD_NOT_PRESENT: { status: 409, title: 'カードがリーダーにありません / no card in the reader' },
  CARD_VPCD_UNREACHABLE: {
    status: 503,
    title: '仮想カードリーダー (vpcd) に接続できません。pcscd が起動していません: apt-get install pcscd vsmartcard-vpcd の後 pcscd --foreground で起動してください / cannot reach the virtual reader vpcd: pcscd is not running (apt-get install pcscd vsmartcard-vpcd, then pcscd --foreground)',
  },
} as const satisfies ErrorCatalogue;

export type CardErrorCode = keyof typeof cardErrors;
export const cardError = errorFactory(cardErrors);
