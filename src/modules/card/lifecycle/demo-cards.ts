// Demo cards: a few residents of the demo municipality get issued cards whose initial PINs anyone can look up (`card list --demo`).
import { createHmac } from 'node:crypto';
import { ageOn, jstDate } from '../../../kernel/clock.ts';
import type { StaffPrincipal } from '../../registry/index.ts';
import type { CardPins, CardRecord } from '../contract.ts';
import { systemPrincipal, type CardContext } from '../card-context.ts';
import { cardError } from '../errors.ts';
import { toCardRecord } from '../card-records.ts';
import { applyForCard } from './apply-for-card.ts';
import { produceCard } from './produce-card.ts';
import { handOverCard } from './hand-over-card.ts';
import { syntheticPortrait } from '../card-face-images.ts';

/** Public on purpose: demo PINs are derivable by anyone, so demo cards must never hold real data (they hold synthetic people). */
const DEMO_PIN_KEY = 'myna-platform demo card PINs';

/** The initial PINs of a demo card: derived from its id, never stored. */
export function derivePins(cardId: string, withSigning: boolean): CardPins {
  const digest = createHmac('sha256', DEMO_PIN_KEY).update(cardId).digest();
  const digits = (at: number) => String(digest.readUInt16BE(at) % 10000).padStart(4, '0');
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const sign = Array.from(digest.subarray(8, 16), (b) => alphabet[b % alphabet.length]).join('');
  return { auth: digits(0), kenhojo: digits(2), juki: digits(4), ...(withSigning ? { sign } : {}) };
}

/** The PINs of a demo card; CARD_STATE_CONFLICT for any other card. */
export async function demoPinsOf(ctx: CardContext, cardId: string): Promise<CardPins> {
  const row = await ctx.db.selectFrom('card.cards').selectAll().where('id', '=', cardId).executeTakeFirst();
  if (!row) throw cardError('CARD_NOT_FOUND');
  const card = toCardRecord(row);
  if (!card.demo) throw cardError('CARD_STATE_CONFLICT', { detail: 'デモ用カードではありません' });
  return derivePins(card.id, card.signCertificateId !== null);
}

const KANA_INITIALS = [...'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ'];

async function issueDemoCard(ctx: CardContext, staff: StaffPrincipal, resident: { id: string; residentCode: string; birthDate: string }, today: string): Promise<CardRecord> {
  const identityCheck = { documents: ['運転免許証'], checkedBy: 'デモ職員' };
  const application = await applyForCard(ctx, staff, {
    residentId: resident.id, channel: 'mobile_counter', place: 'デモ会場', identityCheck,
    photo: { bytes: syntheticPortrait(resident.residentCode), type: 'image/jpeg' },
  });
  const produced = await produceCard(ctx, application.id, { demo: true });
  return handOverCard(ctx, staff, produced.id, { identityCheck, pins: derivePins(produced.id, ageOn(resident.birthDate, today) >= 15) });
}

/**
 * Issues demo cards to the first `count` adult active residents without a card (by kana),
 * through the real flow: application at the counter, production, hand-over with derived PINs.
 */
export async function createDemoCards(ctx: CardContext, lgCode: string, count: number): Promise<CardRecord[]> {
  const staff = systemPrincipal(lgCode, 'デモデータ作成');
  const today = jstDate(ctx.clock.now());
  const read = { staff, purpose: 'デモ用カードの作成' };
  const cards: CardRecord[] = [];
  // The registry only answers searches with a criterion (no bulk browsing), so walk the kana initials.
  for (const initial of KANA_INITIALS) {
    if (cards.length >= count) break;
    const { items } = await ctx.registry.findResidents(read, { familyNameKana: initial, status: 'active', limit: 10 });
    for (const resident of items) {
      if (cards.length >= count) break;
      // Adults, so every demo card has a signing certificate too.
      if (ageOn(resident.birthDate, today) < 18) continue;
      const held = await ctx.db.selectFrom('card.cards').select('id').where('resident_code', '=', resident.residentCode).executeTakeFirst();
      if (held) continue;
      cards.push(await issueDemoCard(ctx, staff, resident, today));
    }
  }
  return cards;
}
