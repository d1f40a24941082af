import { describe, expect, it } from 'vitest';
import { CachedProbe } from './cached-probe';

function fakeClock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('CachedProbe', () => {
  it('probes at most once per interval and answers from the cache in between', async () => {
    const clock = fakeClock();
    let probes = 0;
    const cached = new CachedProbe(async () => void probes++, 1_000, clock.now);
    await cached.check();
    await cached.check();
    clock.advance(999);
    await cached.check();
    expect(probes).toBe(1);
    clock.advance(1);
    await cached.check();
    expect(probes).toBe(2);
  });

  it('shares one in-flight probe among concurrent callers', async () => {
    let probes = 0;
    let release!: () => void;
    const cached = new CachedProbe(() => {
      probes++;
      return new Promise<void>((resolve) => (release = resolve));
    });
    const waiting = Promise.all([cached.check(), cached.check(), cached.check()]);
    release();
    await waiting;
    expect(probes).toBe(1);
  });

  it('caches a failure too, and recovers once a later probe succeeds', async () => {
    const clock = fakeClock();
    let healthy = false;
    let probes = 0;
    const cached = new CachedProbe(
      async () => {
        probes++;
        if (!healthy) throw new Error('catalog not ready');
      },
      1_000,
      clock.now,
    );
    await expect(cached.check()).rejects.toThrow('catalog not ready');
    healthy = true;
    await expect(cached.check()).rejects.toThrow('catalog not ready');
    expect(probes).toBe(1);
    clock.advance(1_000);
    await expect(cached.check()).resolves.toBeUndefined();
  });
});
