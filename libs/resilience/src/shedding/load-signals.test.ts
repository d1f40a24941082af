import { afterEach, describe, expect, it } from 'vitest';
import { LoadSignals } from './load-signals';

let signals: LoadSignals | undefined;
afterEach(() => signals?.stop());

const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Block the event loop, as a CPU-bound handler would.
  }
};
const tick = () => new Promise((resolve) => setTimeout(resolve, 15));

describe('LoadSignals', () => {
  it('counts requests in flight, never below zero', () => {
    signals = new LoadSignals();
    signals.requestStarted();
    signals.requestStarted();
    signals.requestFinished();
    expect(signals.inFlight).toBe(1);
    signals.requestFinished();
    signals.requestFinished();
    expect(signals.inFlight).toBe(0);
  });

  it('reports the longest queue wait of the last window, and forgets it a window later', () => {
    signals = new LoadSignals();
    signals.recordQueueTime(12);
    signals.recordQueueTime(80);
    signals.recordQueueTime(30);
    expect(signals.queueTimeMs).toBe(0);
    signals.sample();
    expect(signals.queueTimeMs).toBe(80);
    signals.sample();
    expect(signals.queueTimeMs).toBe(0);
  });

  it('sees a blocked event loop in its delay reading', async () => {
    signals = new LoadSignals({ sampleIntervalMs: 60_000, eventLoopResolutionMs: 10 }).start();
    await tick();
    signals.sample();
    expect(signals.eventLoopDelayMs).toBeLessThan(150);
    for (let i = 0; i < 5; i++) {
      busy(200);
      await tick();
    }
    signals.sample();
    expect(signals.eventLoopDelayMs).toBeGreaterThanOrEqual(150);
  });

  /** Runs `work` between two samples and returns the share of one core the process used meanwhile, as measured here. */
  async function windowOf(sampled: LoadSignals, work: () => Promise<void> | void): Promise<number> {
    sampled.sample();
    const [startMs, startCpu] = [performance.now(), process.cpuUsage()];
    await work();
    const cpu = process.cpuUsage(startCpu);
    const share = (cpu.user + cpu.system) / 1_000 / (performance.now() - startMs);
    sampled.sample();
    return Math.min(1, share);
  }
  /** Spins until this process has used `ms` of CPU (on a busy machine that takes longer than `ms`). */
  const burnCpu = (ms: number) => {
    const start = process.cpuUsage();
    for (;;) {
      const used = process.cpuUsage(start);
      if ((used.user + used.system) / 1_000 >= ms) return;
    }
  };

  it('reads the CPU this process used over the last window, and tells its listeners', async () => {
    const sampled = new LoadSignals({ sampleIntervalMs: 60_000, utilizationSmoothingMs: 1 }).start();
    signals = sampled;
    const seen: number[] = [];
    sampled.onSample(() => seen.push(sampled.utilization));
    const idle = await windowOf(sampled, () => new Promise((resolve) => setTimeout(resolve, 100)));
    expect(sampled.utilization).toBeCloseTo(idle, 1);
    const busy = await windowOf(sampled, () => burnCpu(150));
    expect(busy).toBeGreaterThan(idle);
    expect(sampled.utilization).toBeCloseTo(busy, 1);
    expect(seen).toHaveLength(4);
  });

  it('smooths utilization: one window moves it only part of the way', async () => {
    const sampled = new LoadSignals({ sampleIntervalMs: 60_000, utilizationSmoothingMs: 1_000 }).start();
    signals = sampled;
    sampled.sample();
    const before = sampled.utilization;
    const startMs = performance.now();
    const share = await windowOf(sampled, () => burnCpu(150));
    // One window of ~200 ms: 1 - e^(-elapsed / 1 s) of the way from `before` to `share` (~18%).
    const towards = 1 - Math.exp(-(performance.now() - startMs) / 1_000);
    expect(sampled.utilization).toBeCloseTo(before + towards * (share - before), 1);
    expect(sampled.utilization).toBeLessThan(share / 2);
  });
});
