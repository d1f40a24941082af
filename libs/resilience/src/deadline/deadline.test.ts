import { describe, expect, it } from 'vitest';
import type { Clock } from '../types';
import { clockSkewFromEnv, skewedClock } from './clock';
import { clockOf, DeadlineExceededError, ExpiringDeadline } from './deadline';

function manualClock(start = 1_000_000): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms) => void (now += ms), setTimeout: () => 0, clearTimeout: () => undefined };
}

describe('ExpiringDeadline', () => {
  it('counts down on its own clock and expires at zero', () => {
    const clock = manualClock();
    const deadline = ExpiringDeadline.after(500, clock);
    expect(deadline.remainingMs()).toBe(500);
    clock.advance(499);
    expect(deadline.expired()).toBe(false);
    clock.advance(1);
    expect(deadline.expired()).toBe(true);
    expect(deadline.remainingMs()).toBe(0);
    clock.advance(100);
    expect(deadline.remainingMs()).toBe(-100);
    expect(clockOf(deadline)).toBe(clock);
  });

  it('treats a negative budget as already expired', () => {
    expect(ExpiringDeadline.after(-50, manualClock()).expired()).toBe(true);
  });

  it('is unaffected by a constant skew: readings move, durations do not', () => {
    const base = manualClock();
    const ahead = skewedClock(3_000, base);
    expect(ahead.now() - base.now()).toBe(3_000);
    const deadline = ExpiringDeadline.after(200, ahead);
    base.advance(150);
    expect(deadline.remainingMs()).toBe(50);
  });
});

describe('clock skew seam', () => {
  it('reads KEEL_CLOCK_SKEW_MS as integer ms and refuses anything else', () => {
    expect(clockSkewFromEnv({})).toBe(0);
    expect(clockSkewFromEnv({ KEEL_CLOCK_SKEW_MS: '-2500' })).toBe(-2_500);
    expect(() => clockSkewFromEnv({ KEEL_CLOCK_SKEW_MS: '2s' })).toThrow(/integer/);
  });
});

describe('DeadlineExceededError', () => {
  it('carries a code error classifiers can match', () => {
    const error = new DeadlineExceededError('calling catalog');
    expect(error.code).toBe('KEEL_DEADLINE_EXCEEDED');
    expect(error.message).toBe('deadline passed before calling catalog');
  });
});
