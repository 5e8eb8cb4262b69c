// What a running server does besides answering requests: relaying registry changes to JPKI and JPKI's own schedules.
import type { Platform } from './create-platform.ts';
import { relayResidentChanges } from './resident-change-relay.ts';

/** Registry change notices are relayed this often; revocation reaches OCSP within it. */
const RELAY_INTERVAL_MS = 2_000;

/**
 * Starts the background work; the returned function stops it and waits for what is in flight.
 *
 * @example
 * const stop = startBackgroundWork(platform);
 * … await stop();
 */
export function startBackgroundWork(platform: Platform): () => Promise<void> {
  platform.jpki.startBackgroundWork();
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = relayResidentChanges(platform.registry, platform.jpki, platform.card).catch((error: unknown) => {
      platform.logger.error({ err: error }, 'relaying registry changes to JPKI failed; will retry');
    });
  }, RELAY_INTERVAL_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
    await platform.jpki.stopBackgroundWork();
  };
}
