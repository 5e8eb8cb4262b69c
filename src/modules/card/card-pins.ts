// Checks the four PINs a resident chooses (spec §9) and names the one that breaks its rule, never its value.
import type { Problem } from '../../kernel/errors.ts';
import type { CardPins } from './contract.ts';
import { pinValueAllowed, PIN_RULE_TEXT } from './virtual-card/pin-rules.ts';
import { cardError } from './errors.ts';

const LABELS = { auth: '利用者証明用電子証明書の暗証番号', sign: '署名用電子証明書の暗証番号', kenhojo: '券面事項入力補助用の暗証番号', juki: '住民基本台帳用の暗証番号' } as const;

/** Throws CARD_PIN_FORMAT unless every PIN follows its rule; `sign` is required exactly when the card has a signing certificate. */
export function checkCardPins(pins: CardPins | undefined, withSigning: boolean): CardPins {
  if (!pins) throw cardError('CARD_PIN_FORMAT', { message: '暗証番号を4種類とも設定してください' });
  const problems: Problem[] = [];
  const check = (field: keyof typeof LABELS, value: string | undefined, rule: 'digits4' | 'alnum6to16') => {
    if (typeof value !== 'string' || !pinValueAllowed(rule, value)) problems.push({ field: `pins.${field}`, reason: `${LABELS[field]}は${PIN_RULE_TEXT[rule]}です` });
  };
  check('auth', pins.auth, 'digits4');
  check('kenhojo', pins.kenhojo, 'digits4');
  check('juki', pins.juki, 'digits4');
  if (withSigning) check('sign', pins.sign, 'alnum6to16');
  else if (pins.sign !== undefined) problems.push({ field: 'pins.sign', reason: '署名用電子証明書のないカード（15歳未満）には署名用の暗証番号を設定しません' });
  if (problems.length > 0) throw cardError('CARD_PIN_FORMAT', { problems });
  return pins;
}
