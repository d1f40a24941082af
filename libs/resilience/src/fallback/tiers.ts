import type { AnswerKind } from '../criticality';
import type { LastGoodCache } from './last-good-cache';

/** What a tier offers: the value, and its age when it comes from memory. */
export interface TierAnswer<T> {
  value: T;
  ageMs?: number;
}

/**
 * One step of a fallback chain. `answer` resolves with an answer, resolves undefined when it has
 * nothing to offer (a cache miss, no peer region configured), or throws when its source failed.
 */
export interface FallbackTier<K, T> {
  /** Names the tier in results, metrics, logs: 'local', 'peer-region', 'last-good', ... */
  name: string;
  kind: AnswerKind;
  answer(key: K): TierAnswer<T> | undefined | Promise<TierAnswer<T> | undefined>;
  /** Told every live or peer answer, so it can serve it later (the last-good cache). */
  remember?(key: K, value: T): void;
}

type Source<K, T> = (key: K) => T | Promise<T>;

/** The tiers a call site strings together, most wanted first. Each is a small function. */
export const fallbackTier = {
  /** This region's service: the answer we want. */
  local<K, T>(call: Source<K, T>, name = 'local'): FallbackTier<K, T> {
    return { name, kind: 'live', answer: async (key) => ({ value: await call(key) }) };
  },

  /** The same service in the other region, through the inter-region link; skipped when there is none. */
  peerRegion<K, T>(call: Source<K, T> | undefined, name = 'peer-region'): FallbackTier<K, T> {
    return { name, kind: 'peer', answer: async (key) => (call ? { value: await call(key) } : undefined) };
  },

  /** The last answer a live or peer tier gave for this key, marked stale. */
  lastGood<K, T>(cache: LastGoodCache<K, T>, name = 'last-good'): FallbackTier<K, T> {
    return { name, kind: 'stale', answer: (key) => cache.get(key), remember: (key, value) => cache.set(key, value) };
  },

  /**
   * A generic stand-in: a constant, or a cheap generic answer (trending products instead of
   * recommendations for this one). It may fail too; then the chain moves on.
   */
  staticDefault<K, T>(value: T | Source<K, T>, name = 'static-default'): FallbackTier<K, T> {
    return { name, kind: 'default', answer: async (key) => ({ value: typeof value === 'function' ? await (value as Source<K, T>)(key) : value }) };
  },

  /** Leave the feature out (`standIn` is the empty shape the response still needs), with notice. */
  omit<K, T>(standIn: T, name = 'omit'): FallbackTier<K, T> {
    return { name, kind: 'omitted', answer: () => ({ value: standIn }) };
  },
};
