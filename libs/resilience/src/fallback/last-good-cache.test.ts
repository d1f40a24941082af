import { describe, expect, it } from 'vitest';
import type { Clock } from '../types';
import { LastGoodCache } from './last-good-cache';

function manualClock(): Clock & { advance(ms: number): void } {
  let now = 0;
  return { now: () => now, advance: (ms) => void (now += ms), setTimeout: () => 0, clearTimeout: () => undefined };
}

describe('LastGoodCache', () => {
  it('serves what it was given with its age', () => {
    const clock = manualClock();
    const cache = new LastGoodCache<string, number>({ clock });
    cache.set('p-1', 42);
    clock.advance(1_500);
    expect(cache.get('p-1')).toEqual({ value: 42, ageMs: 1_500 });
    expect(cache.get('p-2')).toBeUndefined();
  });

  it('forgets answers older than maxAgeMs', () => {
    const clock = manualClock();
    const cache = new LastGoodCache<string, number>({ clock, maxAgeMs: 1_000 });
    cache.set('p-1', 1);
    clock.advance(1_000);
    expect(cache.get('p-1')?.value).toBe(1);
    clock.advance(1);
    expect(cache.get('p-1')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('evicts the least recently used entry when full', () => {
    const cache = new LastGoodCache<string, number>({ maxEntries: 2, clock: manualClock() });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.value).toBe(1);
    expect(cache.get('c')?.value).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('renews an entry that is set again', () => {
    const clock = manualClock();
    const cache = new LastGoodCache<string, number>({ clock, maxEntries: 2 });
    cache.set('a', 1);
    clock.advance(500);
    cache.set('b', 2);
    cache.set('a', 10);
    cache.set('c', 3);
    expect(cache.get('a')).toEqual({ value: 10, ageMs: 0 });
    expect(cache.get('b')).toBeUndefined();
  });
});
