// The 住基ネット link: forwards the registry's change notices (outbox) to JPKI, which revokes what they invalidate.
import type { RegistryService } from '../modules/registry/index.ts';
import type { JpkiService } from '../modules/jpki/index.ts';

const BATCH = 200;

/**
 * Delivers every pending registry change to JPKI, oldest first, then marks it consumed. JPKI's
 * handling is idempotent, so a crash between the two only repeats a harmless delivery.
 * Returns how many notices were delivered.
 *
 * @example
 * await relayResidentChanges(platform.registry, platform.jpki);
 */
export async function relayResidentChanges(registry: RegistryService, jpki: JpkiService): Promise<number> {
  let delivered = 0;
  for (;;) {
    const messages = await registry.pendingOutbox(BATCH);
    if (messages.length === 0) return delivered;
    for (const message of messages) {
      await jpki.applyResidentChange({ topic: message.topic, residentCode: message.residentCode, occurredAt: message.createdAt });
      await registry.markOutboxConsumed([message.id]);
      delivered += 1;
    }
  }
}
