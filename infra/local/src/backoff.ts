/**
 * Restart backoff, as an orchestrator would apply it (Kubernetes' CrashLoopBackOff is the model):
 * the first restart waits `initialDelayMs`, each consecutive crash doubles the wait up to
 * `maxDelayMs`, and a process that stayed up for `resetAfterMs` is treated as healthy again,
 * so its next crash starts from the initial delay.
 */
export interface RestartPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  resetAfterMs: number;
}

/** Delay before restart number `consecutive` (1 = first crash in a row). */
export function backoffDelay(consecutive: number, policy: RestartPolicy): number {
  if (consecutive < 1) return 0;
  // Cap the exponent so a long crash loop cannot overflow to Infinity before the max applies.
  const exponent = Math.min(consecutive - 1, 30);
  return Math.min(policy.initialDelayMs * 2 ** exponent, policy.maxDelayMs);
}

/**
 * The consecutive-crash count after a crash: reset to 1 when the process had run long enough
 * to count as healthy, otherwise one more than before.
 */
export function nextConsecutive(previous: number, uptimeMs: number, policy: RestartPolicy): number {
  return uptimeMs >= policy.resetAfterMs ? 1 : previous + 1;
}
