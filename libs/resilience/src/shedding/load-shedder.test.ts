import { describe, expect, it } from 'vitest';
import { LoadShedder } from './load-shedder';

const readings = { inFlight: 0, eventLoopDelayMs: 0, queueTimeMs: 0 };
const shedder = new LoadShedder(readings, { limits: { inFlight: 100, eventLoopDelayMs: 200, queueTimeMs: 400 } });
const shedTiers = () => ([1, 2, 3] as const).filter((tier) => shedder.decide(tier).shed);

describe('LoadShedder', () => {
  it('admits everything when idle', () => {
    Object.assign(readings, { inFlight: 0, eventLoopDelayMs: 5, queueTimeMs: 1 });
    expect(shedTiers()).toEqual([]);
  });

  it('sheds Tier 3 first, then Tier 2, and Tier 1 only at the limit, on each signal', () => {
    for (const [signal, limit] of [['inFlight', 100], ['eventLoopDelayMs', 200], ['queueTimeMs', 400]] as const) {
      const at = (share: number) => Object.assign(readings, { inFlight: 0, eventLoopDelayMs: 0, queueTimeMs: 0, [signal]: limit * share });
      at(0.49);
      expect(shedTiers(), `${signal} at 49%`).toEqual([]);
      at(0.5);
      expect(shedTiers(), `${signal} at 50%`).toEqual([3]);
      at(0.8);
      expect(shedTiers(), `${signal} at 80%`).toEqual([2, 3]);
      at(1);
      expect(shedTiers(), `${signal} at 100%`).toEqual([1, 2, 3]);
    }
  });

  it('says which signal refused and how long to stay away, longer for lower tiers', () => {
    Object.assign(readings, { inFlight: 0, eventLoopDelayMs: 150, queueTimeMs: 0 });
    const decision = shedder.decide(3);
    expect(decision).toMatchObject({ shed: true, tier: 3, signal: 'event-loop-delay', retryAfterSeconds: 5 });
    expect(decision.shed && decision.detail).toMatch(/150 ms/);
    Object.assign(readings, { eventLoopDelayMs: 250 });
    expect(shedder.decide(1)).toMatchObject({ shed: true, retryAfterSeconds: 1 });
  });

  it('lets a signal be switched off with Infinity', () => {
    const noQueue = new LoadShedder({ inFlight: 0, eventLoopDelayMs: 0, queueTimeMs: 1e9 }, { limits: { queueTimeMs: Infinity } });
    expect(noQueue.decide(3).shed).toBe(false);
  });

  it('decides in well under a microsecond', () => {
    Object.assign(readings, { inFlight: 10, eventLoopDelayMs: 5, queueTimeMs: 1 });
    const runs = 200_000;
    const start = process.hrtime.bigint();
    for (let i = 0; i < runs; i++) shedder.decide(((i % 3) + 1) as 1 | 2 | 3);
    const nsPerDecision = Number(process.hrtime.bigint() - start) / runs;
    expect(nsPerDecision).toBeLessThan(1_000);
  });
});
