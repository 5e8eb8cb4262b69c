// Reference data every kiosk step reads (participating municipalities, their offers, maintenance windows), kept a few seconds in memory.
import { LRUCache } from 'lru-cache';

/** Keys: maintenance windows, and per municipality its participation and its offers (prefix + LG code). */
export const MAINTENANCE_WINDOWS_KEY = 'maintenance-windows';
export const PARTICIPANT_KEY = 'participant:';
export const OFFERS_KEY = 'offers:';

/**
 * A short-lived cache of values loaded from the database. A change made through this process
 * invalidates its keys at once; another process sharing the database sees it within `ttlMs`.
 */
export interface ReferenceDataCache {
  /** The value under `key`, loaded at most once per `ttlMs`; concurrent misses share one load, a failed load is not kept. */
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
  /** Drops every key starting with `prefix`. */
  invalidate(prefix: string): void;
}

/**
 * @example
 * const cache = createReferenceDataCache();
 * const offers = await cache.get(`offers:${lgCode}`, () => readOffers(lgCode));
 */
export function createReferenceDataCache(options: { ttlMs?: number } = {}): ReferenceDataCache {
  const cache = new LRUCache<string, Promise<unknown>>({ max: 10_000, ttl: options.ttlMs ?? 5_000 });
  return {
    get<T>(key: string, load: () => Promise<T>): Promise<T> {
      let value = cache.get(key) as Promise<T> | undefined;
      if (!value) {
        value = load();
        cache.set(key, value);
        value.catch(() => cache.delete(key));
      }
      return value;
    },
    invalidate(prefix) {
      for (const key of [...cache.keys()]) if (key.startsWith(prefix)) cache.delete(key);
    },
  };
}
