// 一時停止 / 解除 / 紛失 / 廃止: the card's status and its certificates' status move together (JPKI first, idempotently).
import { PlatformError } from '../../../kernel/errors.ts';
import type { CertificateRef } from '../../jpki/index.ts';
import type { CardActor, CardInvalidReason, CardRecord, CardStatus } from '../contract.ts';
import type { CardContext } from '../card-context.ts';
import { cardError } from '../errors.ts';
import { actorName, lockCard, recordCardEvent, toCardRecord } from '../card-records.ts';

/** Revocation reason per ending (J-LIS 運用規程 §4.9.9 readings in docs/jpki.md). */
const REVOCATION_FOR: Record<CardInvalidReason, 'keyCompromise' | 'cessationOfOperation' | 'superseded'> = {
  lost: 'keyCompromise', deceased: 'cessationOfOperation', moved_abroad: 'cessationOfOperation', returned: 'cessationOfOperation',
  replaced: 'superseded', expired: 'cessationOfOperation',
};

const ALREADY_DONE = new Set(['JPKI_CERTIFICATE_ALREADY_REVOKED', 'JPKI_CERTIFICATE_ALREADY_ON_HOLD', 'JPKI_CERTIFICATE_NOT_ON_HOLD']);

/** Runs a JPKI status change; a change already made (by a retry, or by the registry's own notice) is fine. */
async function tolerant(change: () => Promise<unknown>): Promise<void> {
  try {
    await change();
  } catch (error) {
    if (!(error instanceof PlatformError && ALREADY_DONE.has(error.code))) throw error;
  }
}

function certificatesOf(card: CardRecord): CertificateRef[] {
  return [card.authCertificateId, card.signCertificateId].filter((id): id is string => id !== null).map((id) => ({ id }));
}

async function loadCard(ctx: CardContext, cardId: string): Promise<CardRecord> {
  const row = await ctx.db.selectFrom('card.cards').selectAll().where('id', '=', cardId).executeTakeFirst();
  if (!row) throw cardError('CARD_NOT_FOUND');
  return toCardRecord(row);
}

async function setStatus(ctx: CardContext, card: CardRecord, actor: CardActor, status: CardStatus, kind: string, detail: Record<string, unknown>, invalidReason?: CardInvalidReason): Promise<CardRecord> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    await lockCard(tx, card.id);
    await tx.updateTable('card.cards').set({ status, invalid_reason: invalidReason ?? null, updated_at: now }).where('id', '=', card.id).execute();
    await recordCardEvent(tx, ctx.audit, now, { cardId: card.id, kind, actor, lgCode: card.lgCode, residentCode: card.residentCode, detail });
    return toCardRecord(await tx.selectFrom('card.cards').selectAll().where('id', '=', card.id).executeTakeFirstOrThrow());
  });
}

/** 一時停止: both certificates on hold. Suspending a suspended card returns it unchanged. */
export async function suspendCard(ctx: CardContext, cardId: string, input: { actor: CardActor; reportedBy: string }): Promise<CardRecord> {
  const card = await loadCard(ctx, cardId);
  if (card.status === 'suspended') return card;
  if (card.status === 'invalid') throw cardError('CARD_STATE_CONFLICT', { detail: '廃止されたカードです' });
  for (const ref of certificatesOf(card)) await tolerant(() => ctx.jpki.holdCertificate(ref, `一時停止（${actorName(input.actor)}）`));
  return setStatus(ctx, card, input.actor, 'suspended', 'card.suspended', { reportedBy: input.reportedBy, previous: card.status });
}

/** 一時停止の解除: the card was found; certificates good again, the card back to what it was. */
export async function resumeCard(ctx: CardContext, cardId: string, input: { actor: CardActor; reportedBy: string }): Promise<CardRecord> {
  const card = await loadCard(ctx, cardId);
  if (card.status === 'active' || card.status === 'produced') return card;
  if (card.status !== 'suspended') throw cardError('CARD_STATE_CONFLICT', { detail: '廃止されたカードは解除できません' });
  for (const ref of certificatesOf(card)) await tolerant(() => ctx.jpki.releaseHold(ref, `一時停止の解除（${actorName(input.actor)}）`));
  return setStatus(ctx, card, input.actor, card.handedOverAt ? 'active' : 'produced', 'card.resumed', { reportedBy: input.reportedBy });
}

/** 廃止 for any reason: certificates revoked, the card invalid. Ending an ended card returns it unchanged. */
export async function endCard(ctx: CardContext, cardId: string, actor: CardActor, reason: CardInvalidReason, detail: Record<string, unknown> = {}): Promise<CardRecord> {
  const card = await loadCard(ctx, cardId);
  if (card.status === 'invalid') return card;
  for (const ref of certificatesOf(card)) await tolerant(() => ctx.jpki.revokeCertificate(ref, REVOCATION_FOR[reason], `カード廃止: ${reason}（${actorName(actor)}）`));
  return setStatus(ctx, card, actor, 'invalid', 'card.invalidated', { reason, ...detail }, reason);
}
