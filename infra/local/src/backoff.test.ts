import { describe, expect, it } from 'vitest';
import { backoffDelay, nextConsecutive, type RestartPolicy } from './backoff';

const policy: RestartPolicy = { initialDelayMs: 250, maxDelayMs: 10_000, resetAfterMs: 30_000 };

describe('backoffDelay', () => {
  it('starts at the initial delay and doubles', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy))).toEqual([250, 500, 1000, 2000, 4000]);
  });

  it('is capped at the maximum, even for very long crash loops', () => {
    expect(backoffDelay(6, policy)).toBe(8000);
    expect(backoffDelay(7, policy)).toBe(10_000);
    expect(backoffDelay(1000, policy)).toBe(10_000);
  });

  it('is zero before any crash', () => {
    expect(backoffDelay(0, policy)).toBe(0);
  });
});

describe('nextConsecutive', () => {
  it('counts crashes in a row', () => {
    expect(nextConsecutive(0, 100, policy)).toBe(1);
    expect(nextConsecutive(3, 29_999, policy)).toBe(4);
  });

  it('resets after the process ran for resetAfterMs', () => {
    expect(nextConsecutive(6, 30_000, policy)).toBe(1);
    expect(backoffDelay(nextConsecutive(6, 45_000, policy), policy)).toBe(250);
  });
});
