import { TIER_RULES, tierOf, type AnswerKind, type Feature } from '../criticality';
import { currentDeadline } from '../deadline/context';
import { DeadlineExceededError } from '../deadline/deadline';
import type { FeatureSwitches } from './feature-switches';
import { recordFallbackAnswer } from './metrics';
import type { FallbackTier } from './tiers';

/** How a chain answered: the value, and which tier gave it, for the `degraded` field and header. */
export interface FallbackResult<T> {
  feature: Feature;
  value: T;
  /** Name of the tier that answered. */
  tier: string;
  kind: AnswerKind;
  /** Anything but this region's live answer. */
  degraded: boolean;
  /** From the last-good cache; `ageMs` says how old. */
  stale: boolean;
  ageMs?: number;
  /** The feature is switched off: nothing was called. */
  switchedOff: boolean;
  /** The tiers that failed before one answered, with why. */
  failures: { tier: string; error: unknown }[];
}

export interface FallbackChainOptions {
  /** Runtime switches; a switched-off feature answers from its omit tier at once. */
  switches?: FeatureSwitches;
  /**
   * Errors that are the dependency's answer rather than its failure: rethrown at once, no
   * fallback (another region would say the same). Default: a `status` of 4xx other than 408/429.
   */
  isAnswer?: (error: unknown) => boolean;
  /** Told about each tier that failed (logging). */
  onTierFailure?: (tier: string, error: unknown) => void;
}

/** A 404 "no such product" is an answer; a 503, a timeout or a refused connection are failures. */
export function isClientErrorAnswer(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

const REMOTE: ReadonlySet<AnswerKind> = new Set(['live', 'peer']);

export interface FallbackChain<K, T> {
  readonly feature: Feature;
  /** Tries each tier in order until one answers. When all fail, throws the first tier's error. */
  run(key: K): Promise<FallbackResult<T>>;
}

/**
 * A fallback chain for one call site: local → peer region → last good → static default → omit,
 * or any subset in that spirit. Checked against the criticality matrix when built, so a Tier 1
 * feature cannot be given an omit tier by mistake. Remote tiers are skipped once the request's
 * deadline has passed: only answers at hand are still worth giving.
 */
export function fallbackChain<K, T>(feature: Feature, tiers: readonly FallbackTier<K, T>[], options: FallbackChainOptions = {}): FallbackChain<K, T> {
  const tier = tierOf(feature);
  if (tiers.length === 0) throw new Error(`fallback chain for ${feature} has no tiers`);
  for (const t of tiers) {
    if (!TIER_RULES[tier].allowedAnswers.includes(t.kind)) {
      throw new Error(`${feature} is Tier ${tier} (${TIER_RULES[tier].summary}): its fallback chain may not use '${t.name}' (${t.kind})`);
    }
  }
  const isAnswer = options.isAnswer ?? isClientErrorAnswer;
  const memories = tiers.filter((t) => t.remember);
  const omitTier = tiers.find((t) => t.kind === 'omitted');

  const result = (t: FallbackTier<K, T>, value: T, failures: FallbackResult<T>['failures'], ageMs?: number, switchedOff = false): FallbackResult<T> => {
    const answer: FallbackResult<T> = { feature, value, tier: t.name, kind: t.kind, degraded: t.kind !== 'live', stale: t.kind === 'stale', ageMs, switchedOff, failures };
    recordFallbackAnswer(answer);
    return answer;
  };

  return {
    feature,
    async run(key: K): Promise<FallbackResult<T>> {
      const failures: FallbackResult<T>['failures'] = [];
      if (omitTier && options.switches?.isOff(feature)) {
        const answer = await omitTier.answer(key);
        if (answer) return result(omitTier, answer.value, failures, undefined, true);
      }
      for (const t of tiers) {
        if (REMOTE.has(t.kind) && (currentDeadline()?.remainingMs() ?? 1) <= 0) {
          failures.push({ tier: t.name, error: new DeadlineExceededError(`calling ${feature} (${t.name})`) });
          continue;
        }
        try {
          const answer = await t.answer(key);
          if (!answer) continue;
          if (REMOTE.has(t.kind)) for (const memory of memories) memory.remember?.(key, answer.value);
          return result(t, answer.value, failures, answer.ageMs);
        } catch (error) {
          if (isAnswer(error)) throw error;
          failures.push({ tier: t.name, error });
          options.onTierFailure?.(t.name, error);
        }
      }
      throw failures[0]?.error ?? new Error(`no tier of the ${feature} fallback chain had an answer`);
    },
  };
}
