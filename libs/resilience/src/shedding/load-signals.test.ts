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

  it('reads the CPU this process used over the last window, and tells its listeners', async () => {
    const sampled = new LoadSignals({ sampleIntervalMs: 60_000, utilizationSmoothingMs: 1 }).start();
    signals = sampled;
    const seen: number[] = [];
    sampled.onSample(() => seen.push(sampled.utilization));
    await new Promise((resolve) => setTimeout(resolve, 100));
    sampled.sample();
    for (let i = 0; i < 5; i++) {
      busy(40);
      await tick();
    }
    sampled.sample();
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBeLessThan(0.5);
    expect(seen[1]).toBeGreaterThan(0.6);
  });

  it('smooths utilization: a short burst moves it only part of the way', async () => {
    const sampled = new LoadSignals({ sampleIntervalMs: 60_000, utilizationSmoothingMs: 1_000 }).start();
    signals = sampled;
    busy(200);
    sampled.sample();
    // One 200 ms window at ~100%: 1 - e^(-0.2) = 18% of the way.
    expect(sampled.utilization).toBeGreaterThan(0.1);
    expect(sampled.utilization).toBeLessThan(0.3);
  });
});
