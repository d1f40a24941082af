import { describe, expect, it } from 'vitest';
import { omitOnFailure } from './omit-on-failure';

describe('omitOnFailure', () => {
  it('passes a successful value through without a degradation notice', async () => {
    expect(await omitOnFailure('recommendations', async () => [1, 2], [])).toEqual({ value: [1, 2] });
  });

  it('answers the stand-in and names the feature when the call fails', async () => {
    const seen: unknown[] = [];
    const result = await omitOnFailure('recommendations', () => Promise.reject(new Error('down')), [], (e) => seen.push(e));
    expect(result).toEqual({ value: [], degraded: 'recommendations' });
    expect(seen).toHaveLength(1);
  });
});
