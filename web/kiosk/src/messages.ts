// Every word the kiosk shows or announces, Japanese first, English second. `en` must have every key of `ja` (the type says so).

export type Lang = 'ja' | 'en';

const yenJa = (n: number) => `${n.toLocaleString('ja-JP')}円`;
const yenEn = (n: number) => `¥${n.toLocaleString('en-US')}`;

/** A date-time in JST, e.g. 2027年1月4日(月) 6:30. */
function when(iso: string, lang: Lang): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', {
    timeZone: 'Asia/Tokyo', year: 'numeric', month: 'long', day: 'numeric', weekday: 'short', hour: 'numeric', minute: '2-digit',
  }).format(date);
}

/**
 * The centre's error codes a kiosk can meet (docs/errors.md `ISSUANCE_*`, plus the idempotency code of the
 * kernel): each has a message in both languages that says what happened and what the resident does now
 * (test/kiosk-bad-input.test.ts keeps this list in step with src/modules/issuance/errors.ts).
 */
export const CENTRE_ERROR_CODES = [
  'ISSUANCE_SERVICE_CLOSED', 'ISSUANCE_KIOSK_UNKNOWN', 'ISSUANCE_SESSION_NOT_FOUND', 'ISSUANCE_SESSION_EXPIRED', 'ISSUANCE_SESSION_STATE',
  'ISSUANCE_CHALLENGE_USED', 'ISSUANCE_CERTIFICATE_UNTRUSTED', 'ISSUANCE_CARD_REVOKED', 'ISSUANCE_CARD_SUSPENDED', 'ISSUANCE_SIGNATURE_INVALID',
  'ISSUANCE_MUNICIPALITY_NOT_PARTICIPATING', 'ISSUANCE_TYPE_NOT_OFFERED', 'ISSUANCE_RULE_REFUSED', 'ISSUANCE_COPIES_INVALID', 'ISSUANCE_OPTIONS_INVALID',
  'ISSUANCE_ORDER_NOT_FOUND', 'ISSUANCE_PAYMENT_INSUFFICIENT', 'ISSUANCE_NOT_PAID', 'ISSUANCE_MUNICIPAL_SERVER_FAILED', 'ISSUANCE_CENTRE_UNAUTHORISED',
  'ISSUANCE_REQUEST_INVALID', 'KERNEL_IDEMPOTENCY_IN_PROGRESS',
] as const;

export type CentreErrorCode = typeof CENTRE_ERROR_CODES[number];

/** What the centre said with the code: its title in the current language (for ISSUANCE_RULE_REFUSED, the municipality's reason) and its detail. */
export interface CentreSaid { title: string; detail?: string | undefined }

/** A centre error in the kiosk's words: a sentence, or one built from what the centre said. */
export type CentreErrorMessage = string | ((said: CentreSaid) => string);

/** A sentence ends with 。 before the next one is added. */
const sentenceJa = (text: string) => (/[。．！？]$/.test(text.trim()) ? text.trim() : `${text.trim()}。`);

const ja = {
  appTitle: '証明書交付サービス',
  switchLanguage: 'English',
  switchLanguageLabel: 'Switch to English',
  back: '戻る',
  cancel: '中止',
  next: '次へ',
  navigation: '操作',
  stepsLabel: '手続きの流れ',
  steps: ['カード', '暗証番号', '証明書の選択', 'お支払い', '印刷'],
  currentStep: '現在の段階',
  yen: yenJa,
  when: (iso: string) => when(iso, 'ja'),

  // Busy (announced, shown while waiting)
  loading: '準備しています。しばらくお待ちください',
  openingSession: '証明書交付センターに接続しています',
  readingCard: 'カードを読み取っています。カードを動かさないでください',
  checkingPin: '暗証番号を確認しています。カードを動かさないでください',
  authenticating: '本人確認をしています。カードを動かさないでください',
  placingOrder: '証明書の内容を確認しています',
  paying: 'お支払いを確認しています',
  ending: '終了しています',
  wait: 'しばらくお待ちください',

  // Out of hours / out of service
  closedTitle: 'ただいま証明書交付サービスはご利用いただけません',
  closedReason: (reason: string) => ({ hours: 'サービス時間外です。', year_end: '年末年始のため休止しています。', maintenance: 'システムの保守のため休止しています。' } as Record<string, string>)[reason] ?? '',
  reopensAt: (iso: string) => `再開予定：${when(iso, 'ja')}`,
  unavailableTitle: 'この端末はただいまご利用いただけません',
  configMissing: '端末の設定を読み込めませんでした。店員にお知らせください。',

  // Service choice
  homeTitle: 'ご利用になるサービスを選んでください',
  administrative: '行政サービス',
  administrativeHint: '住民票の写し・印鑑登録証明書などの証明書',
  servicesTitle: '行政サービスを選んでください',
  issuance: '証明書交付',
  issuanceHint: 'マイナンバーカードを使って証明書を取得します',
  needs: 'マイナンバーカードと、利用者証明用電子証明書の暗証番号（数字4桁）が必要です。',

  // Card
  cardTitle: 'マイナンバーカードを置いてください',
  cardHint: 'カードを読み取り部に置いてください。手続きが終わるまで取らないでください。',
  demoCards: 'デモ：読み取り部に置くカードを選んでください',
  demoCardsNone: 'デモ用のカードがありません。',
  demoCard: (serial: string) => `カード ${serial}`,
  demoCardMeta: (lgCode: string, expiresOn: string) => `団体コード ${lgCode}　有効期限 ${expiresOn}`,

  // PIN
  pinTitle: '暗証番号（数字4桁）を入力してください',
  pinHint: '利用者証明用電子証明書の暗証番号です。数字キーでも入力できます。',
  pinEntered: (n: number) => `4桁中 ${n}桁 入力済み`,
  pinDigit: (d: string) => `数字 ${d}`,
  pinDelete: '訂正',
  pinDeleteLabel: '1文字消す',
  pinSubmit: '確定',
  pinKeypad: '暗証番号の入力キー',
  pinWrong: (n: number) => `暗証番号が違います。あと ${n} 回間違えるとロックされます`,
  pinTriesLeft: (n: number) => `あと ${n} 回間違えるとロックされます。`,
  pinLockedTitle: '暗証番号がロックされています。',
  pinLockedAction: 'お住まいの市区町村の窓口で暗証番号の再設定をしてください',

  // Municipality and certificate
  municipalityTitle: 'どちらの市区町村の証明書ですか',
  residence: (name: string) => `住所地（${name}）`,
  residenceHint: '住民票の写し・印鑑登録証明書・所得・課税証明書など',
  honseki: (name: string) => `本籍地（${name}）`,
  honsekiHint: '戸籍証明書・戸籍の附票の写し',
  typeTitle: '証明書の種類を選んでください',
  feePerCopy: (yen: number) => `1通 ${yenJa(yen)}`,
  noOffers: 'この市区町村で取得できる証明書はありません。',
  notAvailable: 'この証明書はここでは取得できません。',
  optionsTitle: (title: string) => `${title}の記載内容を選んでください`,
  copiesTitle: '部数を選んでください',
  copies: (n: number) => `${n}通`,
  copiesFewer: '1通減らす',
  copiesMore: '1通増やす',
  copiesRange: '1通から10通まで選べます。',
  subtotal: (fee: number, n: number) => `${yenJa(fee)} × ${n}通 ＝ ${yenJa(fee * n)}`,

  // Confirmation
  confirmTitle: '内容と料金を確認してください',
  certificate: '証明書',
  municipality: '市区町村',
  details: '記載内容',
  copiesLabel: '部数',
  feePerCopyLabel: '1通の手数料',
  total: '合計金額',
  toPayment: 'お支払いへ進む',

  // Payment
  paymentTitle: '料金をお支払いください',
  inserted: '投入金額',
  shortage: '不足金額',
  change: 'おつり',
  insertMoney: 'お金を入れる（デモ）',
  insert: (yen: number) => yen >= 1000 ? `${yenJa(yen)}札を入れる` : `${yenJa(yen)}玉を入れる`,
  insertedNow: (yen: number) => `投入金額 ${yenJa(yen)}`,
  pay: '支払う',
  payHint: '料金以上のお金を入れてから「支払う」を押してください。',
  returned: (yen: number) => `投入した ${yenJa(yen)} を返却しました。お取りください。`,

  // Printing and end
  printingTitle: '証明書を印刷しています',
  printingProgress: (done: number, total: number) => `${total}通中 ${done}通 印刷しました`,
  printingHint: 'カードを取らずにお待ちください。',
  sendingResults: '印刷結果を送信しています',
  resend: 'もう一度送信する',
  takeTitle: 'カードと証明書をお取りください',
  takeChange: (yen: number) => `おつり ${yenJa(yen)} をお取りください。`,
  took: '受け取りました',
  receiptTitle: 'ご利用ありがとうございました',
  receiptNo: '受付番号',
  printedAt: '交付日時',
  paid: 'お支払い',
  refunded: '返金',
  itemLine: (title: string, copies: number, fee: number) => `${title}　${copies}通 × ${yenJa(fee)}`,
  failedCopies: (n: number) => `${n}通を印刷できませんでした。その分の料金は返金されます。`,
  openPdf: (copy: number) => `デモ：${copy}通目の証明書（PDF）を開く`,
  finish: '終了する',
  forgetCard: 'カードのお取り忘れにご注意ください',

  // Idle
  idleTitle: '操作を続けますか',
  idleBody: (s: number) => `操作がないため、あと ${s} 秒で手続きを終了します。`,
  idleContinue: '続ける',
  timedOutBody: '一定時間操作がなかったため、手続きを終了しました。',
  toStart: '最初の画面に戻る',

  // Errors
  network: '通信できませんでした。もう一度お試しください。',
  cardUnreadable: 'カードを読み取れませんでした。カードを置き直してください。',
  insecure: 'この端末の画面は安全な接続（HTTPS）で開く必要があります。店員にお知らせください。',
  unexpected: '予期しないエラーが発生しました。',
  fatalHint: 'カードをお取りください。ご不明な点はお住まいの市区町村の窓口にお問い合わせください。',

  // Centre errors (CENTRE_ERROR_CODES): what happened, then what to do.
  centreErrors: {
    ISSUANCE_SERVICE_CLOSED: 'ただいま証明書交付サービスはご利用いただけません。カードをお取りになり、時間をおいてご利用ください。',
    ISSUANCE_KIOSK_UNKNOWN: 'この端末は証明書交付センターに登録されていないため、ご利用いただけません。店員にお知らせください。',
    ISSUANCE_SESSION_NOT_FOUND: '受付が見つかりません。カードをお取りになり、最初からやり直してください。',
    ISSUANCE_SESSION_EXPIRED: '受付の有効時間（10分）が過ぎました。カードをお取りになり、最初からやり直してください。',
    ISSUANCE_SESSION_STATE: 'この手続きは今はできません。カードをお取りになり、最初からやり直してください。',
    ISSUANCE_CHALLENGE_USED: 'この受付の本人確認は使用済みです。カードをお取りになり、最初からやり直してください。',
    ISSUANCE_CERTIFICATE_UNTRUSTED: 'このカードは使用できません（電子証明書を確認できませんでした）。マイナンバーカードをお持ちのうえ、お住まいの市区町村の窓口にお問い合わせください。',
    ISSUANCE_CARD_REVOKED: 'このカードの利用者証明用電子証明書は失効しています。お住まいの市区町村の窓口で電子証明書の再発行を受けてください。',
    ISSUANCE_CARD_SUSPENDED: 'このカードは一時停止中です。コールセンターまたはお住まいの市区町村の窓口で一時停止の解除の手続きをしてください。',
    ISSUANCE_SIGNATURE_INVALID: 'カードで本人確認ができませんでした。カードをお取りになり、最初からやり直してください。',
    ISSUANCE_MUNICIPALITY_NOT_PARTICIPATING: 'お住まいの市区町村はコンビニ交付を行っていません。証明書は市区町村の窓口でお求めください。',
    ISSUANCE_TYPE_NOT_OFFERED: 'この証明書はコンビニ交付では取り扱っていません。別の証明書を選ぶか、市区町村の窓口でお求めください。',
    ISSUANCE_RULE_REFUSED: ({ title }: CentreSaid) => (title.includes('窓口') ? sentenceJa(title) : `${sentenceJa(title)}この証明書は市区町村の窓口でお求めください。`),
    ISSUANCE_COPIES_INVALID: '部数は1通から10通までです。部数を選び直してください。',
    ISSUANCE_OPTIONS_INVALID: '選んだ記載内容ではこの証明書を発行できません。記載内容を選び直してください。',
    ISSUANCE_ORDER_NOT_FOUND: 'ご注文が見つかりません。カードをお取りになり、最初からやり直してください。',
    ISSUANCE_PAYMENT_INSUFFICIENT: ({ detail }: CentreSaid) => `投入金額が足りません${detail ? `（${detail}）` : ''}。不足分を入れてから「支払う」を押してください。`,
    ISSUANCE_NOT_PAID: 'お支払いを確認できませんでした。店員にお知らせください。',
    ISSUANCE_MUNICIPAL_SERVER_FAILED: '市区町村の証明発行サーバに接続できません。しばらくしてからもう一度お試しください。',
    ISSUANCE_CENTRE_UNAUTHORISED: '証明書交付センターの設定に問題があるため、ただいまご利用いただけません。カードをお取りになり、店員にお知らせください。',
    ISSUANCE_REQUEST_INVALID: '手続きを続けられませんでした。カードをお取りになり、最初からやり直してください。',
    KERNEL_IDEMPOTENCY_IN_PROGRESS: '前の操作を処理しています。しばらくしてからもう一度押してください。',
  } satisfies Record<CentreErrorCode, CentreErrorMessage> as Record<CentreErrorCode, CentreErrorMessage>,
};

export type Messages = typeof ja;

const en: Messages = {
  appTitle: 'Certificate issuance',
  switchLanguage: '日本語',
  switchLanguageLabel: '日本語に切り替える',
  back: 'Back',
  cancel: 'Cancel',
  next: 'Next',
  navigation: 'Actions',
  stepsLabel: 'Steps',
  steps: ['Card', 'PIN', 'Certificate', 'Payment', 'Printing'],
  currentStep: 'current step',
  yen: yenEn,
  when: (iso) => when(iso, 'en'),

  loading: 'Getting ready. Please wait.',
  openingSession: 'Connecting to the certificate issuance centre',
  readingCard: 'Reading your card. Please do not move it.',
  checkingPin: 'Checking your PIN. Please do not move your card.',
  authenticating: 'Verifying your identity. Please do not move your card.',
  placingOrder: 'Checking your request',
  paying: 'Checking your payment',
  ending: 'Finishing',
  wait: 'Please wait',

  closedTitle: 'The certificate service is not available now',
  closedReason: (reason) => ({ hours: 'It is outside service hours.', year_end: 'The service is closed for the New Year holidays.', maintenance: 'The service is closed for maintenance.' } as Record<string, string>)[reason] ?? '',
  reopensAt: (iso) => `Reopens: ${when(iso, 'en')}`,
  unavailableTitle: 'This kiosk is not available now',
  configMissing: 'The kiosk could not load its settings. Please tell the staff.',

  homeTitle: 'Choose a service',
  administrative: 'Government services',
  administrativeHint: 'Residence certificates, seal registration certificates and more',
  servicesTitle: 'Choose a government service',
  issuance: 'Certificates',
  issuanceHint: 'Get certificates with your My Number Card',
  needs: 'You need your My Number Card and the 4-digit PIN of its user-authentication certificate.',

  cardTitle: 'Place your My Number Card',
  cardHint: 'Place your card on the reader. Leave it there until you have finished.',
  demoCards: 'Demo: choose the card to place on the reader',
  demoCardsNone: 'There are no demo cards.',
  demoCard: (serial) => `Card ${serial}`,
  demoCardMeta: (lgCode, expiresOn) => `Municipality ${lgCode}, valid until ${expiresOn}`,

  pinTitle: 'Enter your 4-digit PIN',
  pinHint: 'The PIN of your user-authentication certificate. You can also type it on the keyboard.',
  pinEntered: (n) => `${n} of 4 digits entered`,
  pinDigit: (d) => `digit ${d}`,
  pinDelete: 'Delete',
  pinDeleteLabel: 'Delete one digit',
  pinSubmit: 'OK',
  pinKeypad: 'PIN keypad',
  pinWrong: (n) => `Incorrect PIN. ${n} more wrong ${n === 1 ? 'try' : 'tries'} will lock it.`,
  pinTriesLeft: (n) => `${n} more wrong ${n === 1 ? 'try' : 'tries'} will lock the PIN.`,
  pinLockedTitle: 'Your PIN is locked. ',
  pinLockedAction: 'Please have it reset at the counter of your municipality.',

  municipalityTitle: 'Which municipality is the certificate from?',
  residence: (name) => `Where you live (${name})`,
  residenceHint: 'Residence certificate, seal registration, income and tax certificates',
  honseki: (name) => `Your family register (${name})`,
  honsekiHint: 'Family register certificates, family register attachment',
  typeTitle: 'Choose a certificate',
  feePerCopy: (yen) => `${yenEn(yen)} per copy`,
  noOffers: 'This municipality offers no certificates here.',
  notAvailable: 'This certificate cannot be issued here.',
  optionsTitle: (title) => `Choose what the ${title} shows`,
  copiesTitle: 'How many copies?',
  copies: (n) => `${n} ${n === 1 ? 'copy' : 'copies'}`,
  copiesFewer: 'One copy fewer',
  copiesMore: 'One copy more',
  copiesRange: 'From 1 to 10 copies.',
  subtotal: (fee, n) => `${yenEn(fee)} × ${n} = ${yenEn(fee * n)}`,

  confirmTitle: 'Check your request and the fee',
  certificate: 'Certificate',
  municipality: 'Municipality',
  details: 'Contents',
  copiesLabel: 'Copies',
  feePerCopyLabel: 'Fee per copy',
  total: 'Total',
  toPayment: 'Go to payment',

  paymentTitle: 'Please pay the fee',
  inserted: 'Inserted',
  shortage: 'Still to pay',
  change: 'Change',
  insertMoney: 'Insert money (demo)',
  insert: (yen) => `Insert ${yenEn(yen)} ${yen >= 1000 ? 'note' : 'coin'}`,
  insertedNow: (yen) => `Inserted ${yenEn(yen)}`,
  pay: 'Pay',
  payHint: 'Insert at least the fee, then press “Pay”.',
  returned: (yen) => `Your ${yenEn(yen)} has been returned. Please take it.`,

  printingTitle: 'Printing your certificates',
  printingProgress: (done, total) => `${done} of ${total} printed`,
  printingHint: 'Please wait and leave your card on the reader.',
  sendingResults: 'Sending the print results',
  resend: 'Send again',
  takeTitle: 'Take your card and your certificates',
  takeChange: (yen) => `Please take your change: ${yenEn(yen)}.`,
  took: 'I have taken them',
  receiptTitle: 'Thank you',
  receiptNo: 'Receipt number',
  printedAt: 'Issued',
  paid: 'Paid',
  refunded: 'Refunded',
  itemLine: (title, copies, fee) => `${title}  ${copies} × ${yenEn(fee)}`,
  failedCopies: (n) => `${n} ${n === 1 ? 'copy' : 'copies'} could not be printed and will be refunded.`,
  openPdf: (copy) => `Demo: open certificate ${copy} (PDF)`,
  finish: 'Finish',
  forgetCard: 'Do not forget your card',

  idleTitle: 'Do you want to continue?',
  idleBody: (s) => `Nothing has happened for a while. The session will end in ${s} s.`,
  idleContinue: 'Continue',
  timedOutBody: 'The session ended because there was no input for a while.',
  toStart: 'Back to the start',

  network: 'Could not reach the service. Please try again.',
  cardUnreadable: 'Your card could not be read. Please place it again.',
  insecure: 'This kiosk page must be opened over a secure connection (HTTPS). Please tell the staff.',
  unexpected: 'An unexpected error occurred.',
  fatalHint: 'Please take your card. For questions, ask at the counter of your municipality.',

  centreErrors: {
    ISSUANCE_SERVICE_CLOSED: 'The certificate service is not available now. Please take your card and come back later.',
    ISSUANCE_KIOSK_UNKNOWN: 'This kiosk is not registered with the certificate issuance centre and cannot be used. Please tell the staff.',
    ISSUANCE_SESSION_NOT_FOUND: 'Your session was not found. Please take your card and start again.',
    ISSUANCE_SESSION_EXPIRED: 'Your session has timed out (10 minutes). Please take your card and start again.',
    ISSUANCE_SESSION_STATE: 'This step is not possible now. Please take your card and start again.',
    ISSUANCE_CHALLENGE_USED: 'The identity check of this session has already been used. Please take your card and start again.',
    ISSUANCE_CERTIFICATE_UNTRUSTED: 'This card cannot be used (its certificate could not be verified). Please bring your My Number Card to the counter of your municipality.',
    ISSUANCE_CARD_REVOKED: 'The user-authentication certificate of this card has been revoked. Please have a new one issued at the counter of your municipality.',
    ISSUANCE_CARD_SUSPENDED: 'This card is suspended. Please have it reactivated through the call centre or at the counter of your municipality.',
    ISSUANCE_SIGNATURE_INVALID: 'Your identity could not be verified with the card. Please take your card and start again.',
    ISSUANCE_MUNICIPALITY_NOT_PARTICIPATING: 'Your municipality does not issue certificates at convenience stores. Please get your certificate at the counter of your municipality.',
    ISSUANCE_TYPE_NOT_OFFERED: 'This certificate is not issued at kiosks. Please choose another certificate or ask at the counter of your municipality.',
    ISSUANCE_RULE_REFUSED: ({ title }) => `This certificate cannot be issued here: ${title} Please ask at the counter of your municipality.`,
    ISSUANCE_COPIES_INVALID: 'You can get 1 to 10 copies. Please choose the number of copies again.',
    ISSUANCE_OPTIONS_INVALID: 'This certificate cannot be issued with the contents you chose. Please choose the contents again.',
    ISSUANCE_ORDER_NOT_FOUND: 'Your order was not found. Please take your card and start again.',
    ISSUANCE_PAYMENT_INSUFFICIENT: 'Not enough money has been inserted. Please insert the rest, then press “Pay”.',
    ISSUANCE_NOT_PAID: 'Your payment could not be confirmed. Please tell the staff.',
    ISSUANCE_MUNICIPAL_SERVER_FAILED: 'The certificate server of your municipality cannot be reached. Please try again in a while.',
    ISSUANCE_CENTRE_UNAUTHORISED: 'The service cannot be used now because of a problem with the centre\'s settings. Please take your card and tell the staff.',
    ISSUANCE_REQUEST_INVALID: 'The procedure could not go on. Please take your card and start again.',
    KERNEL_IDEMPOTENCY_IN_PROGRESS: 'Your previous action is still being processed. Please wait a moment and press again.',
  },
};

export const messages: Record<Lang, Messages> = { ja, en };

/** A message key whose value is a sentence (a string or a function giving one). */
export type MessageKey = { [K in keyof Messages]: Messages[K] extends string | ((...args: never[]) => string) ? K : never }[keyof Messages];

/**
 * A sentence to show later in whichever language is on then: a message, or a centre problem — in the kiosk's
 * own words when its `code` is one of CENTRE_ERROR_CODES, else its title ("日本語 / English") and detail.
 */
export type Notice =
  | { key: MessageKey; args?: readonly (string | number)[] }
  | { title: string; detail?: string | undefined; code?: string | undefined };

export function say(t: Messages, lang: Lang, notice: Notice): string {
  if ('key' in notice) {
    const entry = t[notice.key] as string | ((...args: (string | number)[]) => string);
    return typeof entry === 'function' ? entry(...(notice.args ?? [])) : entry;
  }
  const own = centreMessage(t, notice.code);
  if (own !== undefined) return typeof own === 'function' ? own({ title: localTitle(notice.title, lang), detail: notice.detail }) : own;
  const text = [localTitle(notice.title, lang), notice.detail].filter(Boolean).join('　');
  return text;
}

/** The kiosk's own message for a centre error code, if it has one. */
export function centreMessage(t: Messages, code: string | undefined): CentreErrorMessage | undefined {
  return code !== undefined && (CENTRE_ERROR_CODES as readonly string[]).includes(code) ? t.centreErrors[code as CentreErrorCode] : undefined;
}

/** The platform's titles read "日本語 / English": the part for the current language. */
export function localTitle(title: string, lang: Lang): string {
  const [jaPart, enPart] = title.split(' / ');
  return (lang === 'en' ? enPart ?? jaPart : jaPart) ?? title;
}
