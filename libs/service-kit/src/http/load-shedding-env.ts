import { z } from 'zod';
import type { LoadSheddingOptions } from './load-shedding';

const positive = z.coerce.number().positive();

/**
 * Operator overrides for load shedding, part of every service's environment (see env.ts). They let
 * a load test or an incident change the shedder without a release: `KEEL_SHEDDING=off` removes it;
 * each `KEEL_SHED_LIMIT_*` replaces one of its `limits` (where even Tier 1 is refused; lower tiers
 * go at their share of it). Names follow `LoadShedderOptions.limits`; defaults: SHEDDING_DEFAULTS.
 */
export const loadSheddingEnv = {
  KEEL_SHEDDING: z.enum(['on', 'off']).default('on'),
  KEEL_SHED_LIMIT_IN_FLIGHT: positive.int().optional(),
  KEEL_SHED_LIMIT_EVENT_LOOP_DELAY_MS: positive.optional(),
  KEEL_SHED_LIMIT_QUEUE_TIME_MS: positive.optional(),
} satisfies z.ZodRawShape;

export type LoadSheddingEnv = z.infer<z.ZodObject<typeof loadSheddingEnv>>;

/**
 * The shedding a service runs with: the code's options (`false`: none) with the environment's
 * overrides on top, since the operator who set them knows this deployment better than the code.
 */
export function loadSheddingFromEnv(env: Partial<LoadSheddingEnv>, options: LoadSheddingOptions | false = {}): LoadSheddingOptions | false {
  if (options === false || env.KEEL_SHEDDING === 'off') return false;
  const overrides = {
    ...(env.KEEL_SHED_LIMIT_IN_FLIGHT !== undefined && { inFlight: env.KEEL_SHED_LIMIT_IN_FLIGHT }),
    ...(env.KEEL_SHED_LIMIT_EVENT_LOOP_DELAY_MS !== undefined && { eventLoopDelayMs: env.KEEL_SHED_LIMIT_EVENT_LOOP_DELAY_MS }),
    ...(env.KEEL_SHED_LIMIT_QUEUE_TIME_MS !== undefined && { queueTimeMs: env.KEEL_SHED_LIMIT_QUEUE_TIME_MS }),
  };
  return { ...options, limits: { ...options.limits, ...overrides } };
}
