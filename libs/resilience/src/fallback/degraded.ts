/** The response header listing degraded features, comma-separated (the body says it in `degraded`). */
export const DEGRADED_HEADER = 'x-degraded';

/**
 * The features a response should list as degraded: every result that did not come from its live
 * tier (another region, a stale copy, a default, or left out), each feature once, in order.
 */
export function degradedFeatures(results: Iterable<{ feature: string; degraded: boolean }>): string[] {
  const names = new Set<string>();
  for (const result of results) if (result.degraded) names.add(result.feature);
  return [...names];
}
