// The 住基ネット link: forwards the registry's change notices (outbox) to JPKI (revocation) and the card module (card status).
import type { RegistryService } from '../modules/registry/index.ts';
import type { ResidentChangeNotice } from '../modules/jpki/index.ts';

/** A module that acts on registry change notices; its handling must be idempotent. */
export interface ResidentChangeReceiver {
  applyResidentChange(notice: ResidentChangeNotice): Promise<unknown>;
}

const BATCH = 200;

/**
 * Delivers every pending registry change to each receiver in turn (JPKI first, then the card),
 * oldest first, then marks it consumed. Receivers are idempotent, so a crash between the two only
 * repeats a harmless delivery.
 * Returns how many notices were delivered.
 *
 * @example
 * await relayResidentChanges(platform.registry, platform.jpki, platform.card);
 */
export async function relayResidentChanges(registry: RegistryService, ...receivers: ResidentChangeReceiver[]): Promise<number> {
  let delivered = 0;
  for (;;) {
    const messages = await registry.pendingOutbox(BATCH);
    if (messages.length === 0) return delivered;
    for (const message of messages) {
      const notice = { topic: message.topic, residentCode: message.residentCode, occurredAt: message.createdAt };
      for (const receiver of receivers) await receiver.applyResidentChange(notice);
      await registry.markOutboxConsumed([message.id]);
      delivered += 1;
    }
  }
}
