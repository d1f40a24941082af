import { monitorEventLoopDelay, performance, type ELDHistogram, type EventLoopUtilization } from 'node:perf_hooks';
import { SHEDDING_DEFAULTS } from './defaults';

/** The overload signals, read in nanoseconds by the shedder on every request. */
export interface LoadReadings {
  readonly inFlight: number;
  readonly eventLoopDelayMs: number;
  readonly queueTimeMs: number;
  /** Share (0–1) of the last window the event loop spent working rather than waiting for I/O. */
  readonly utilization: number;
}

export interface LoadSignalsOptions {
  sampleIntervalMs?: number;
  eventLoopResolutionMs?: number;
}

/**
 * Measures how loaded this process is. In-flight is a counter the HTTP hooks move; event-loop
 * delay, queue time and utilization are sampled every `sampleIntervalMs` into plain numbers, so a decision
 * costs a few property reads and no histogram lookups. Each window restarts at the sample: a
 * burst that is over stops counting within one interval.
 */
export class LoadSignals implements LoadReadings {
  inFlight = 0;
  eventLoopDelayMs = 0;
  queueTimeMs = 0;
  utilization = 0;
  private windowQueueMaxMs = 0;
  private lastUtilization?: EventLoopUtilization;
  private readonly sampled: (() => void)[] = [];
  private readonly histogram: ELDHistogram;
  private readonly resolutionMs: number;
  private timer?: NodeJS.Timeout;

  constructor(private readonly options: LoadSignalsOptions = {}) {
    this.resolutionMs = options.eventLoopResolutionMs ?? SHEDDING_DEFAULTS.eventLoopResolutionMs;
    this.histogram = monitorEventLoopDelay({ resolution: this.resolutionMs });
  }

  start(): this {
    if (this.timer) return this;
    this.histogram.enable();
    this.lastUtilization = performance.eventLoopUtilization();
    this.timer = setInterval(() => this.sample(), this.options.sampleIntervalMs ?? SHEDDING_DEFAULTS.sampleIntervalMs);
    this.timer.unref();
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.histogram.disable();
  }

  requestStarted(): void {
    this.inFlight++;
  }

  requestFinished(): void {
    if (this.inFlight > 0) this.inFlight--;
  }

  /** How long a request waited between arriving and its handler starting. */
  recordQueueTime(ms: number): void {
    if (ms > this.windowQueueMaxMs) this.windowQueueMaxMs = ms;
  }

  /** Runs `listener` after every sample, with the new readings in place. */
  onSample(listener: () => void): void {
    this.sampled.push(listener);
  }

  /** Closes the current window: its p99 loop delay, longest queue wait and utilization become the readings. */
  sample(): void {
    // The histogram is in nanoseconds and records whole intervals between its timer's ticks (an
    // idle loop reads the resolution); the delay is what goes beyond. Empty (no tick yet) reads 0.
    const p99 = this.histogram.count ? this.histogram.percentile(99) / 1e6 : 0;
    this.eventLoopDelayMs = Math.max(0, p99 - this.resolutionMs);
    this.histogram.reset();
    this.queueTimeMs = this.windowQueueMaxMs;
    this.windowQueueMaxMs = 0;
    const now = performance.eventLoopUtilization();
    if (this.lastUtilization) this.utilization = performance.eventLoopUtilization(now, this.lastUtilization).utilization;
    this.lastUtilization = now;
    for (const listener of this.sampled) listener();
  }
}
