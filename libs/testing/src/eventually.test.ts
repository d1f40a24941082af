import { describe, expect, it } from 'vitest';
import { eventually } from './eventually';

describe('eventually', () => {
  it('answers true as soon as the probe holds, sync or async', async () => {
    let calls = 0;
    expect(await eventually(() => ++calls === 3, 1_000, 1)).toBe(true);
    expect(calls).toBe(3);
    expect(await eventually(async () => true, 1_000)).toBe(true);
  });

  it('gives up with false once the time is up', async () => {
    const started = Date.now();
    expect(await eventually(() => false, 100, 10)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
