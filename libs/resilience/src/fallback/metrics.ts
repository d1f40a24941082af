import { metrics, trace, type Counter } from '@opentelemetry/api';
import type { FallbackResult } from './fallback-chain';

let answers: Counter | undefined;

/**
 * Counts every chain answer by feature and the tier that gave it (live answers included, so the
 * share of degraded answers is a ratio of two series), and marks the active span when degraded.
 */
export function recordFallbackAnswer(result: FallbackResult<unknown>): void {
  answers ??= metrics.getMeter('keel').createCounter('keel.fallback.answers', {
    description: 'Answers from fallback chains, by feature and the tier that answered',
  });
  answers.add(1, { feature: result.feature, tier: result.tier, kind: result.kind });
  if (result.degraded) trace.getActiveSpan()?.setAttribute(`keel.degraded.${result.feature}`, result.tier);
}
