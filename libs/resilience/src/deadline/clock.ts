import { systemClock, type Clock } from '../types';

/**
 * A clock `skewMs` ahead of (or, negative, behind) `base`. It exists for tests: a process started
 * with KEEL_CLOCK_SKEW_MS behaves like a host whose wall clock is off by that much, which is what
 * the deadline codec has to survive. Timers are untouched: skew shifts readings, not durations.
 */
export function skewedClock(skewMs: number, base: Clock = systemClock): Clock {
  if (!skewMs) return base;
  return { now: () => base.now() + skewMs, setTimeout: base.setTimeout, clearTimeout: base.clearTimeout };
}

/** KEEL_CLOCK_SKEW_MS as a number; 0 when unset. Refuses anything but an integer. */
export function clockSkewFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.KEEL_CLOCK_SKEW_MS;
  if (raw === undefined || raw === '') return 0;
  if (!/^-?\d+$/.test(raw)) throw new Error(`KEEL_CLOCK_SKEW_MS must be an integer number of ms, got "${raw}"`);
  return Number(raw);
}

/**
 * The wall clock every deadline computation in this process reads (never `Date.now()` directly):
 * the system clock, shifted by KEEL_CLOCK_SKEW_MS when a test asks for it. A malformed value is
 * ignored here rather than crashing at import; services refuse it at start-up (service-kit's env).
 */
export const wallClock: Clock = skewedClock(lenientSkew());

function lenientSkew(): number {
  try {
    return clockSkewFromEnv();
  } catch {
    return 0;
  }
}
