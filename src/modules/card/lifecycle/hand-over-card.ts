// 交付: the counter checks the person's identity, the person sets the four PINs, the card becomes active.
import type { StaffPrincipal } from '../../registry/index.ts';
import type { CardPins, CardRecord, IdentityCheck } from '../contract.ts';
import type { CardContext } from '../card-context.ts';
import { cardError } from '../errors.ts';
import { lockCard, recordCardEvent, toCardRecord } from '../card-records.ts';
import { checkCardPins } from '../card-pins.ts';
import { advanceChipPhase } from '../virtual-card/chip-personalisation.ts';
import { setCardPins } from './produce-card.ts';
import { validIdentityCheck } from './apply-for-card.ts';
import { endCard } from './card-status-changes.ts';

/**
 * Hands a produced card over. A renewal card retires the card it replaces (its certificates
 * revoked as superseded) in the same visit.
 */
export async function handOverCard(ctx: CardContext, staff: StaffPrincipal, cardId: string, input: { identityCheck: IdentityCheck; pins: CardPins }): Promise<CardRecord> {
  if (!validIdentityCheck(input.identityCheck)) throw cardError('CARD_IDENTITY_CHECK_REQUIRED');
  const before = await ctx.db.selectFrom('card.cards').selectAll().where('id', '=', cardId).where('lg_code', '=', staff.lgCode).executeTakeFirst();
  if (!before) throw cardError('CARD_NOT_FOUND');
  const card = toCardRecord(before);
  if (card.status !== 'produced') throw cardError('CARD_STATE_CONFLICT', { detail: card.status === 'active' ? '交付済みです' : `カードの状態: ${card.status}` });
  const pins = checkCardPins(input.pins, card.signCertificateId !== null);
  if (card.replacesCardId) await endCard(ctx, card.replacesCardId, { staff }, 'replaced');
  const now = ctx.clock.now();
  const result = await ctx.db.transaction().execute(async (tx) => {
    const locked = await lockCard(tx, cardId);
    if (locked.status !== 'produced') throw cardError('CARD_STATE_CONFLICT');
    const image = await ctx.chips.load(tx, cardId);
    setCardPins(image, pins);
    advanceChipPhase(image, 'issued');
    await ctx.chips.save(tx, cardId, image);
    await tx.updateTable('card.cards').set({ status: 'active', handed_over_at: now, updated_at: now }).where('id', '=', cardId).execute();
    await tx.updateTable('card.applications').set({ status: 'completed', updated_at: now }).where('id', '=', card.applicationId).execute();
    await recordCardEvent(tx, ctx.audit, now, {
      cardId, applicationId: card.applicationId, kind: 'card.handed_over', actor: { staff }, lgCode: card.lgCode, residentCode: card.residentCode,
      detail: { identityDocuments: input.identityCheck.documents, checkedBy: input.identityCheck.checkedBy },
    });
    return toCardRecord(await tx.selectFrom('card.cards').selectAll().where('id', '=', cardId).executeTakeFirstOrThrow());
  });
  ctx.chips.forget(cardId);
  return result;
}
