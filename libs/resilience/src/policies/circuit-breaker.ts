import { ConsecutiveBreaker, EventEmitter, CircuitState as CockatielCircuitState } from 'cockatiel';
import type { CallOptions, Clock } from '../types';
import { isDependencyFailure, type FailureClassifier } from './classify';
import type { BreakerOptions } from './defaults';
import { BrokenCircuitError } from './errors';
import { FailureRateBreaker } from './failure-rate-breaker';
import { NEVER_ABORTED, type Operation } from './operation';

export type CircuitState = 'closed' | 'open' | 'half-open';

export type TransitionReason = 'consecutive-failures' | 'failure-rate' | 'open-elapsed' | 'probe-failed' | 'probes-succeeded';

export interface StateChangeEvent {
  dependency: string;
  from: CircuitState;
  to: CircuitState;
  reason: TransitionReason;
}

/** What one call's result says: a dependency failure, a sign of health, or nothing either way. */
type Outcome = 'success' | 'failure' | 'ignored';

/**
 * Closed → open when either counter trips (cockatiel's ConsecutiveBreaker, or the failure rate
 * over a window); open → half-open after `openMs`; half-open admits `halfOpenProbes` calls and
 * fails every other caller at once with BrokenCircuitError (cockatiel's breaker makes them wait
 * for the probe instead, holding their bulkhead slots and deadlines); all probes succeeding closes
 * it, any probe failing reopens it.
 *
 * Failures are the dependency's (timeouts, connection errors, 5xx, 429). A 4xx means it answered
 * and counts as health; a caller's abort or a bug in the operation counts as neither.
 */
export class CircuitBreaker {
  private readonly emitter = new EventEmitter<StateChangeEvent>();
  /** Every transition, for logs and metrics. */
  readonly onStateChange = this.emitter.addListener;
  private current: CircuitState = 'closed';
  /** Bumped on every transition: a call that started under an earlier state has no say now. */
  private generation = 0;
  private openedAt = 0;
  private probesAdmitted = 0;
  private probesSucceeded = 0;
  private readonly consecutive: ConsecutiveBreaker;
  private readonly rate: FailureRateBreaker;

  constructor(
    readonly dependency: string,
    private readonly options: BreakerOptions,
    private readonly classify: FailureClassifier,
    private readonly clock: Clock,
  ) {
    this.consecutive = new ConsecutiveBreaker(options.consecutiveFailures);
    this.rate = new FailureRateBreaker(options, clock);
  }

  get state(): CircuitState {
    return this.current;
  }

  /** True when a call now would be refused: open and not yet due a probe, or every probe place taken. */
  get refusing(): boolean {
    if (this.current === 'closed') return false;
    if (this.current === 'half-open') return this.probesAdmitted >= this.options.halfOpenProbes;
    return this.clock.now() - this.openedAt < this.options.openMs;
  }

  async execute<T>(op: Operation<T>, call: CallOptions): Promise<T> {
    const probe = this.current !== 'closed' && this.admitProbe();
    const generation = this.generation;
    try {
      const value = await op(call.signal ?? NEVER_ABORTED);
      this.record(generation, probe, 'success');
      return value;
    } catch (error) {
      this.record(generation, probe, this.outcomeOf(error, call));
      throw error;
    }
  }

  /** Lets this call through as a probe, or throws BrokenCircuitError at once. */
  private admitProbe(): true {
    if (this.current === 'open') {
      if (this.clock.now() - this.openedAt < this.options.openMs) throw new BrokenCircuitError(this.dependency, 'open');
      this.transition('half-open', 'open-elapsed');
    }
    if (this.probesAdmitted >= this.options.halfOpenProbes) throw new BrokenCircuitError(this.dependency, 'half-open');
    this.probesAdmitted++;
    return true;
  }

  private outcomeOf(error: unknown, call: CallOptions): Outcome {
    if (call.signal?.aborted) return 'ignored';
    const kind = this.classify(error);
    if (isDependencyFailure(kind)) return 'failure';
    return kind === 'client' ? 'success' : 'ignored';
  }

  private record(generation: number, probe: boolean, outcome: Outcome): void {
    if (generation !== this.generation) return;
    if (probe) {
      if (outcome === 'failure') this.transition('open', 'probe-failed');
      else if (outcome === 'ignored') this.probesAdmitted--; // give the place to another probe
      else if (++this.probesSucceeded >= this.options.halfOpenProbes) this.transition('closed', 'probes-succeeded');
      return;
    }
    if (outcome === 'success') {
      this.consecutive.success();
      this.rate.success();
    } else if (outcome === 'failure') {
      // Both counters must see every failure, so no short-circuit between them.
      const inARow = this.consecutive.failure();
      const byRate = this.rate.failure(CockatielCircuitState.Closed);
      if (inARow || byRate) this.transition('open', inARow ? 'consecutive-failures' : 'failure-rate');
    }
  }

  private transition(to: CircuitState, reason: TransitionReason): void {
    const from = this.current;
    this.current = to;
    this.generation++;
    this.probesAdmitted = 0;
    this.probesSucceeded = 0;
    if (to !== 'half-open') {
      // Counts from before an outage (or during it) say nothing about the next closed period.
      this.consecutive.success();
      this.rate.reset();
    }
    if (to === 'open') this.openedAt = this.clock.now();
    this.emitter.emit({ dependency: this.dependency, from, to, reason });
  }
}
