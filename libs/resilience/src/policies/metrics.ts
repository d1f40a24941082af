import type { Attributes, Counter, Meter, ObservableCallback, ObservableGauge } from '@opentelemetry/api';
import type { IDisposable } from 'cockatiel';
import type { Bulkhead } from './bulkhead';
import type { CircuitBreaker, CircuitState } from './circuit-breaker';
import type { RetryPolicy } from './retry';
import type { RetryBudget } from './retry-budget';
import type { TimeoutPolicy } from './timeout';

/** The parts of one dependency's policy that have something to report. */
export interface InstrumentedParts {
  dependency: string;
  timeout: TimeoutPolicy;
  retry?: RetryPolicy;
  budget?: RetryBudget;
  breaker?: CircuitBreaker;
  bulkhead?: Bulkhead;
}

/** Breaker state as a number, so "not closed" is one comparison in an alert: `> 0`. */
export const BREAKER_STATE_VALUE: Record<CircuitState, number> = { closed: 0, 'half-open': 1, open: 2 };

interface Instruments {
  breakerState: ObservableGauge;
  breakerTransitions: Counter;
  bulkheadInUse: ObservableGauge;
  bulkheadQueued: ObservableGauge;
  bulkheadRejections: Counter;
  retries: Counter;
  budgetExhausted: Counter;
  timeouts: Counter;
}

/** One set of instruments per meter, shared by every dependency (told apart by attribute). */
const instrumentsByMeter = new WeakMap<Meter, Instruments>();

function instrumentsFor(meter: Meter): Instruments {
  let found = instrumentsByMeter.get(meter);
  if (!found) {
    found = {
      breakerState: meter.createObservableGauge('keel.resilience.breaker.state', { description: 'Circuit state: 0 closed, 1 half-open, 2 open' }),
      breakerTransitions: meter.createCounter('keel.resilience.breaker.transitions', { description: 'Circuit state changes, by the state entered' }),
      bulkheadInUse: meter.createObservableGauge('keel.resilience.bulkhead.in_use', { description: 'Calls in flight through the bulkhead' }),
      bulkheadQueued: meter.createObservableGauge('keel.resilience.bulkhead.queued', { description: 'Calls waiting for a bulkhead slot' }),
      bulkheadRejections: meter.createCounter('keel.resilience.bulkhead.rejections', { description: 'Calls the bulkhead turned away, by reason' }),
      retries: meter.createCounter('keel.resilience.retries', { description: 'Retry attempts made' }),
      budgetExhausted: meter.createCounter('keel.resilience.retry_budget.exhausted', { description: 'Retries refused because the retry budget was spent' }),
      timeouts: meter.createCounter('keel.resilience.timeouts', { description: 'Attempts that timed out, or were not started past the deadline' }),
    };
    instrumentsByMeter.set(meter, found);
  }
  return found;
}

/**
 * Exports one dependency's policy as OpenTelemetry metrics, labelled `dependency`. Nothing here
 * runs on a successful call: counters are fed by the policies' events (which fire only when
 * something goes wrong) and gauges are read at collection time. Attribute objects are built once.
 * Returns the disposer that detaches it all.
 */
export function instrumentPolicy(parts: InstrumentedParts, meter: Meter): IDisposable {
  const instruments = instrumentsFor(meter);
  const base: Attributes = { dependency: parts.dependency };
  const keyed = <K extends string>(key: string, values: readonly K[]): Record<K, Attributes> => {
    const byValue = {} as Record<K, Attributes>;
    for (const value of values) byValue[value] = { dependency: parts.dependency, [key]: value };
    return byValue;
  };
  const disposers: Array<() => void> = [];
  const observe = (gauge: ObservableGauge, read: () => number): void => {
    const callback: ObservableCallback = (result) => result.observe(read(), base);
    gauge.addCallback(callback);
    disposers.push(() => gauge.removeCallback(callback));
  };
  const listen = (subscription: IDisposable): void => {
    disposers.push(() => subscription.dispose());
  };

  const timeoutCauses = keyed('cause', ['timeout', 'deadline'] as const);
  listen(parts.timeout.onTimeout((event) => instruments.timeouts.add(1, timeoutCauses[event.cause])));
  if (parts.retry) listen(parts.retry.onRetry(() => instruments.retries.add(1, base)));
  if (parts.budget) listen(parts.budget.onExhausted(() => instruments.budgetExhausted.add(1, base)));
  const { breaker, bulkhead } = parts;
  if (breaker) {
    const states = keyed('to', ['closed', 'open', 'half-open'] as const);
    listen(breaker.onStateChange((event) => instruments.breakerTransitions.add(1, states[event.to])));
    observe(instruments.breakerState, () => BREAKER_STATE_VALUE[breaker.state]);
  }
  if (bulkhead) {
    const reasons = keyed('reason', ['full', 'queue-timeout', 'deadline'] as const);
    listen(bulkhead.onRejected((event) => instruments.bulkheadRejections.add(1, reasons[event.reason])));
    observe(instruments.bulkheadInUse, () => bulkhead.inUse);
    observe(instruments.bulkheadQueued, () => bulkhead.queued);
  }
  return { dispose: () => disposers.splice(0).forEach((dispose) => dispose()) };
}
