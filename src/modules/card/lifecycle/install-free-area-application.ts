// 空き領域の利用: a municipality installs its own small application (library card, staff ID…) on an issued card at the counter.
import type { StaffPrincipal } from '../../registry/index.ts';
import type { CardRecord, FreeAreaInstall } from '../contract.ts';
import type { CardContext } from '../card-context.ts';
import { cardError } from '../errors.ts';
import { lockCard, recordCardEvent, toCardRecord } from '../card-records.ts';
import { ChipRefusal, installFreeAreaApplication } from '../virtual-card/chip-personalisation.ts';
import { AID } from '../virtual-card/card-layout.ts';

const RESERVED = Object.values(AID).map((aid) => Buffer.from(aid).toString('hex'));

/** Installs (or replaces, by name) a free-area application on an active card of the staff's municipality. */
export async function installFreeArea(ctx: CardContext, staff: StaffPrincipal, cardId: string, input: FreeAreaInstall): Promise<CardRecord> {
  const aidHex = String(input.aid ?? '').toLowerCase();
  if (!/^([0-9a-f]{2}){5,16}$/.test(aidHex) || RESERVED.includes(aidHex)) {
    throw cardError('CARD_FREE_AREA_INVALID', { problems: [{ field: 'aid', reason: 'AID は5〜16バイトの16進数で、カードの既存アプリ（JPKI・券面事項入力補助・券面・住基）以外です' }] });
  }
  if (!/^[\p{L}\p{N}_ -]{1,40}$/u.test(input.name ?? '')) throw cardError('CARD_FREE_AREA_INVALID', { problems: [{ field: 'name', reason: 'アプリ名は1〜40文字です' }] });
  const now = ctx.clock.now();
  const result = await ctx.db.transaction().execute(async (tx) => {
    const card = await lockCard(tx, cardId);
    if (card.lgCode !== staff.lgCode) throw cardError('CARD_NOT_FOUND');
    if (card.status !== 'active') throw cardError('CARD_STATE_CONFLICT', { detail: '有効なカードにだけ空き領域アプリを搭載できます' });
    const image = await ctx.chips.load(tx, cardId);
    try {
      installFreeAreaApplication(image, {
        name: input.name, aid: new Uint8Array(Buffer.from(aidHex, 'hex')), type: input.type, data: input.data, ...(input.pin !== undefined ? { pin: input.pin } : {}),
      });
    } catch (error) {
      if (!(error instanceof ChipRefusal)) throw error;
      throw cardError(error.message === 'free area full' ? 'CARD_FREE_AREA_FULL' : 'CARD_FREE_AREA_INVALID', { detail: error.message });
    }
    await ctx.chips.save(tx, cardId, image);
    await recordCardEvent(tx, ctx.audit, now, {
      cardId, kind: 'card.free_area_installed', actor: { staff }, lgCode: card.lgCode, residentCode: card.residentCode,
      detail: { name: input.name, aid: aidHex.toUpperCase(), type: input.type, withPin: input.pin !== undefined },
    });
    return toCardRecord(await tx.selectFrom('card.cards').selectAll().where('id', '=', cardId).executeTakeFirstOrThrow());
  });
  ctx.chips.forget(cardId);
  return result;
}
