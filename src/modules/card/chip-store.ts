// The virtual chips the platform holds: one powered VirtualCard per card in this process (like a card in a reader), saved after every change.
import type { Kysely } from 'kysely';
import type { Clock } from '../../kernel/clock.ts';
import { purposeKey } from '../../kernel/crypto/seal.ts';
import type { CardImage } from './virtual-card/card-image.ts';
import { decodeCardImage, encodeCardImage, type StoredImage } from './virtual-card/card-image-codec.ts';
import { createVirtualCard, type VirtualCard } from './virtual-card/virtual-card.ts';
import type { ChipSession } from './contract.ts';
import { cardError } from './errors.ts';

/** Loads, saves and powers the virtual chips. */
export interface ChipStore {
  /** Inserts or replaces a chip's image inside `tx`. */
  save(tx: Kysely<any>, cardId: string, image: CardImage): Promise<void>;
  /** The chip's image, decoded (for issuer-side updates at the counter); throws CARD_CHIP_UNAVAILABLE. */
  load(tx: Kysely<any>, cardId: string): Promise<CardImage>;
  /** The powered chip shared by every transport in this process. */
  open(cardId: string): Promise<ChipSession>;
  /** Drops the in-memory chip after an issuer-side update, so the next open reads the new image. */
  forget(cardId: string): void;
}

/** Chips kept powered in memory at most; the least recently opened is powered off first. */
const MAX_POWERED = 500;

export function createChipStore(db: Kysely<any>, clock: Clock, sealingKey: Uint8Array): ChipStore {
  const key = purposeKey(sealingKey, 'card chip secrets');
  const powered = new Map<string, Promise<ChipSession>>();

  async function save(tx: Kysely<any>, cardId: string, image: CardImage): Promise<void> {
    const { image: stored, secrets } = encodeCardImage(image, key, cardId);
    const values = { image: JSON.stringify(stored), secrets_iv: secrets.iv, secrets: secrets.sealed, updated_at: clock.now() };
    await tx.insertInto('card.chips').values({ card_id: cardId, ...values })
      .onConflict((oc) => oc.column('card_id').doUpdateSet(values)).execute();
  }

  async function load(tx: Kysely<any>, cardId: string): Promise<CardImage> {
    const row = await tx.selectFrom('card.chips').selectAll().where('card_id', '=', cardId).executeTakeFirst();
    if (!row) throw cardError('CARD_CHIP_UNAVAILABLE');
    const stored = (typeof row.image === 'string' ? JSON.parse(row.image) : row.image) as StoredImage;
    return decodeCardImage(stored, { iv: row.secrets_iv, sealed: row.secrets }, key, cardId);
  }

  async function power(cardId: string): Promise<ChipSession> {
    const image = await load(db, cardId);
    let dirty = false;
    const card: VirtualCard = createVirtualCard(image, () => { dirty = true; });
    // One APDU at a time, as on a real contact interface; saves happen in APDU order.
    let queue: Promise<unknown> = Promise.resolve();
    const serial = <T>(work: () => Promise<T>): Promise<T> => {
      const next = queue.then(work, work);
      queue = next.catch(() => undefined);
      return next;
    };
    return {
      cardId,
      atr: () => image.atr,
      transmit: (command) => serial(async () => {
        const answer = card.transmit(command);
        if (dirty) {
          dirty = false;
          await save(db, cardId, image);
        }
        return answer;
      }),
      reset: () => serial(async () => card.reset()),
      powerOff: () => serial(async () => card.powerOff()),
    };
  }

  return {
    save,
    load,
    open(cardId) {
      let session = powered.get(cardId);
      if (session) {
        powered.delete(cardId);
      } else {
        session = power(cardId);
        session.catch(() => powered.delete(cardId));
      }
      powered.set(cardId, session);
      if (powered.size > MAX_POWERED) powered.delete(powered.keys().next().value!);
      return session;
    },
    forget(cardId) {
      powered.delete(cardId);
    },
  };
}
