import { describe, expect, it } from 'vitest';
import { LoadShedder } from './load-shedder';

const readings = { inFlight: 0, eventLoopDelayMs: 0, queueTimeMs: 0, utilization: 0 };
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
    const noQueue = new LoadShedder({ inFlight: 0, eventLoopDelayMs: 0, queueTimeMs: 1e9, utilization: 0 }, { limits: { queueTimeMs: Infinity } });
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

  describe('on a busy event loop', () => {
    const busy = { inFlight: 0, eventLoopDelayMs: 0, queueTimeMs: 0, utilization: 0 };
    let draw = 0.5;
    const proportional = new LoadShedder(busy, { utilization: { 3: 0.75, 2: 0.85 }, utilizationGain: 2, random: () => draw });
    const windows = (utilization: number, count: number) => {
      busy.utilization = utilization;
      for (let i = 0; i < count; i++) proportional.adjust();
    };

    it('refuses a growing share of the lower tiers while saturated, and never Tier 1', () => {
      windows(1, 1);
      expect(proportional.shareRefused(3)).toBeCloseTo(0.5);
      expect(proportional.shareRefused(2)).toBeCloseTo(0.3);
      expect(proportional.shareRefused(1)).toBe(0);
      draw = 0.4;
      expect(proportional.decide(3)).toMatchObject({ shed: true, signal: 'utilization', tier: 3 });
      expect(proportional.decide(2).shed).toBe(false);
      windows(1, 3);
      expect(proportional.shareRefused(2)).toBe(1);
      const refusal = proportional.decide(2);
      expect(refusal).toMatchObject({ shed: true, signal: 'utilization', retryAfterSeconds: 2 });
      expect(refusal.shed && refusal.detail).toMatch(/CPU at 100% of a core .*target 85%.*refusing 100% of Tier 2/);
      expect(proportional.decide(1).shed).toBe(false);
      expect(proportional.decide(2, false).shed).toBe(false);
    });

    it('settles where the loop is at the target, and admits everything again once it has room', () => {
      windows(0.85, 5);
      expect(proportional.shareRefused(2)).toBe(1);
      windows(0.8, 1);
      expect(proportional.shareRefused(2)).toBeCloseTo(0.9);
      windows(0.3, 1);
      expect(proportional.shareRefused(2)).toBe(0);
      expect(proportional.shareRefused(3)).toBeCloseTo(0.1);
      windows(0.3, 1);
      expect(proportional.shareRefused(3)).toBe(0);
      draw = 0;
      expect(([1, 2, 3] as const).map((tier) => proportional.decide(tier).shed)).toEqual([false, false, false]);
    });
  });
});
