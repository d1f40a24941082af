/** Fallback numbers, in one place. */
export const FALLBACK_DEFAULTS = {
  lastGood: {
    /** Distinct keys kept per cache; the least recently used goes first. */
    maxEntries: 1_000,
    /**
     * How old a remembered answer may be and still be served (always marked stale). Ten minutes
     * outlasts a typical regional incident without showing prices or stock from another era.
     */
    maxAgeMs: 10 * 60_000,
  },
} as const;
