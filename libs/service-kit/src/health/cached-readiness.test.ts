import { describe, expect, it } from 'vitest';
import { CachedReadiness } from './cached-readiness';
import type { ReadinessCheck } from './readiness';

function setup(check: ReadinessCheck, intervalMs = 1_000, checkTimeoutMs = 2_000) {
  let now = 0;
  let runs = 0;
  const cached = new CachedReadiness(() => [['database', () => (runs++, check())]], intervalMs, () => now, checkTimeoutMs);
  return { cached, runs: () => runs, advance: (ms: number) => void (now += ms) };
}

describe('CachedReadiness', () => {
  it('runs the checks at most once per interval however often it is asked', async () => {
    const { cached, runs, advance } = setup(() => undefined);
    for (let i = 0; i < 20; i++) expect(await cached.outcomes()).toEqual([{ name: 'database' }]);
    expect(runs()).toBe(1);
    advance(999);
    await cached.outcomes();
    expect(runs()).toBe(1);
    advance(1);
    await cached.outcomes();
    expect(runs()).toBe(2);
  });

  it('shares one run among concurrent probes', async () => {
    let finish!: () => void;
    const { cached, runs } = setup(() => new Promise<void>((resolve) => (finish = resolve)));
    const probes = Array.from({ length: 5 }, () => cached.outcomes());
    await Promise.resolve();
    finish();
    expect(await Promise.all(probes)).toEqual(Array(5).fill([{ name: 'database' }]));
    expect(runs()).toBe(1);
  });

  it('reports why a check failed, and keeps that for the interval too', async () => {
    let healthy = false;
    const { cached, advance } = setup(() => {
      if (!healthy) throw new Error('database is locked');
    });
    expect(await cached.outcomes()).toEqual([{ name: 'database', failure: 'database is locked' }]);
    healthy = true;
    expect((await cached.outcomes())[0].failure).toBe('database is locked');
    advance(1_000);
    expect(await cached.outcomes()).toEqual([{ name: 'database' }]);
  });

  it('fails a check that hangs instead of hanging every probe', async () => {
    const { cached } = setup(() => new Promise<void>(() => undefined), 1_000, 50);
    expect(await cached.outcomes()).toEqual([{ name: 'database', failure: 'no answer within 50 ms' }]);
  });
});
