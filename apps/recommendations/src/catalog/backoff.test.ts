import { describe, expect, it } from 'vitest';
import { retryDelay } from './backoff';

const options = { initialMs: 200, maxMs: 5_000 };

describe('retry backoff', () => {
  it('doubles from the initial delay and stops at the ceiling', () => {
    const top = () => 1;
    expect([1, 2, 3, 4, 5, 6, 10, 1_000].map((n) => retryDelay(n, options, top))).toEqual([200, 400, 800, 1600, 3200, 5000, 5000, 5000]);
  });

  it('jitters between half and all of the nominal delay', () => {
    expect(retryDelay(3, options, () => 0)).toBe(400);
    expect(retryDelay(3, options, () => 0.5)).toBe(600);
    for (let i = 0; i < 100; i++) {
      const delay = retryDelay(20, options);
      expect(delay).toBeGreaterThanOrEqual(2_500);
      expect(delay).toBeLessThanOrEqual(5_000);
    }
  });
});
