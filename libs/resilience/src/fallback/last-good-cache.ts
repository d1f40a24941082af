import { wallClock } from '../deadline/clock';
import type { Clock } from '../types';
import { FALLBACK_DEFAULTS } from './defaults';

export interface LastGoodCacheOptions {
  maxEntries?: number;
  maxAgeMs?: number;
  clock?: Clock;
}

/** A remembered answer and how long ago it was good. */
export interface RememberedAnswer<V> {
  value: V;
  ageMs: number;
}

/**
 * The last good answer per key, for when every live source fails. Bounded (least recently used
 * entries go first) so a crawl over every product cannot grow it without limit, and aged: entries
 * older than `maxAgeMs` are neither served nor kept. Whatever it serves is stale by definition (the
 * live tiers just failed); the age says how stale, so a response can say so.
 */
export class LastGoodCache<K, V> {
  private readonly entries = new Map<K, { value: V; storedAt: number }>();
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;
  private readonly clock: Clock;

  constructor(options: LastGoodCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? FALLBACK_DEFAULTS.lastGood.maxEntries;
    this.maxAgeMs = options.maxAgeMs ?? FALLBACK_DEFAULTS.lastGood.maxAgeMs;
    this.clock = options.clock ?? wallClock;
    if (this.maxEntries < 1) throw new RangeError('LastGoodCache needs room for at least one entry');
  }

  set(key: K, value: V): void {
    // Delete first: a Map iterates in insertion order, so re-inserting makes the key the newest.
    this.entries.delete(key);
    this.entries.set(key, { value, storedAt: this.clock.now() });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as K);
  }

  get(key: K): RememberedAnswer<V> | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const ageMs = this.clock.now() - entry.storedAt;
    if (ageMs > this.maxAgeMs) {
      this.entries.delete(key);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    return { value: entry.value, ageMs };
  }

  get size(): number {
    return this.entries.size;
  }
}
