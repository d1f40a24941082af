import { monitorEventLoopDelay, performance, type ELDHistogram } from 'node:perf_hooks';
import { SHEDDING_DEFAULTS } from './defaults';

/** The overload signals, read in nanoseconds by the shedder on every request. */
export interface LoadReadings {
  readonly inFlight: number;
  readonly eventLoopDelayMs: number;
  readonly queueTimeMs: number;
  /**
   * CPU this process used, as a share of one core (0–1), smoothed over about a second: how close
   * a Node service (one busy thread) is to its capacity.
   */
  readonly utilization: number;
}

export interface LoadSignalsOptions {
  sampleIntervalMs?: number;
  eventLoopResolutionMs?: number;
  /** Time constant of the utilization's moving average (default SHEDDING_DEFAULTS.utilizationSmoothingMs). */
  utilizationSmoothingMs?: number;
  /** Where CPU time is read (default `process.cpuUsage`). A seam for tests. */
  cpuUsage?: () => NodeJS.CpuUsage;
}

/**
 * Measures how loaded this process is. In-flight is a counter the HTTP hooks move; event-loop
 * delay, queue time and CPU utilization are sampled every `sampleIntervalMs` into plain numbers, so a decision
 * costs a few property reads and no histogram lookups. Each window restarts at the sample: a
 * burst that is over stops counting within one interval.
 */
export class LoadSignals implements LoadReadings {
  inFlight = 0;
  eventLoopDelayMs = 0;
  queueTimeMs = 0;
  utilization = 0;
  private windowQueueMaxMs = 0;
  private lastCpu?: { atMs: number; usage: NodeJS.CpuUsage };
  private readonly sampled: (() => void)[] = [];
  private readonly cpuUsage: () => NodeJS.CpuUsage;
  private readonly histogram: ELDHistogram;
  private readonly resolutionMs: number;
  private timer?: NodeJS.Timeout;

  constructor(private readonly options: LoadSignalsOptions = {}) {
    this.resolutionMs = options.eventLoopResolutionMs ?? SHEDDING_DEFAULTS.eventLoopResolutionMs;
    this.histogram = monitorEventLoopDelay({ resolution: this.resolutionMs });
    this.cpuUsage = options.cpuUsage ?? (() => process.cpuUsage());
  }

  start(): this {
    if (this.timer) return this;
    this.histogram.enable();
    this.lastCpu = { atMs: performance.now(), usage: this.cpuUsage() };
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
    this.sampleUtilization();
    for (const listener of this.sampled) listener();
  }

  /**
   * CPU time, not event-loop utilization: the loop also reads "busy" while its thread waits for a
   * CPU other processes hold, so on a shared host it rose with the neighbours' load and shed work
   * this process had room for. The moving average keeps a start-up's JIT burst or one GC from
   * shedding anything.
   */
  private sampleUtilization(): void {
    const now = { atMs: performance.now(), usage: this.cpuUsage() };
    const last = this.lastCpu;
    this.lastCpu = now;
    if (!last || now.atMs <= last.atMs) return;
    const elapsedMs = now.atMs - last.atMs;
    const usedMs = (now.usage.user - last.usage.user + now.usage.system - last.usage.system) / 1_000;
    const share = Math.min(1, usedMs / elapsedMs);
    const smoothingMs = this.options.utilizationSmoothingMs ?? SHEDDING_DEFAULTS.utilizationSmoothingMs;
    this.utilization += (1 - Math.exp(-elapsedMs / smoothingMs)) * (share - this.utilization);
  }
}
