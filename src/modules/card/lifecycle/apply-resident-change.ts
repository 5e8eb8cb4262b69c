// Registry notices (住基ネット) as they reach the card: death ends the card; attribute or number changes mark it for the counter.
import type { ResidentChangeNotice } from '../../jpki/index.ts';
import type { CardContext } from '../card-context.ts';
import { recordCardEvent, toCardRecord } from '../card-records.ts';
import { endCard } from './card-status-changes.ts';

const NOTICE_ACTOR = { system: '住民基本台帳ネットワーク' } as const;

/** Applies one notice to the person's live cards (produced, active or suspended). */
export async function applyResidentChangeToCards(ctx: CardContext, notice: ResidentChangeNotice): Promise<void> {
  const rows = await ctx.db.selectFrom('card.cards').selectAll().where('resident_code', '=', notice.residentCode)
    .where('status', 'in', ['produced', 'active', 'suspended']).execute();
  for (const card of rows.map(toCardRecord)) {
    if (notice.topic === 'resident.died') {
      await endCard(ctx, card.id, NOTICE_ACTOR, 'deceased');
      continue;
    }
    if (card.attributesOutdated) continue;
    const now = ctx.clock.now();
    await ctx.db.transaction().execute(async (tx) => {
      await tx.updateTable('card.cards').set({ attributes_outdated: true, updated_at: now }).where('id', '=', card.id).execute();
      await recordCardEvent(tx, ctx.audit, now, {
        cardId: card.id, kind: 'card.attributes_outdated', actor: NOTICE_ACTOR, lgCode: card.lgCode, residentCode: card.residentCode,
        detail: { topic: notice.topic },
      });
    });
  }
}
