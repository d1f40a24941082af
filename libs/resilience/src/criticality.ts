/**
 * The feature criticality matrix: the one place that says how much each feature matters, and so
 * what keel may do to it when things break. Fallback chains check their tiers against it, the
 * load shedder drops work in its order (Tier 3 first, Tier 1 last), and routes are tagged with a
 * feature name from it. Adding a feature means adding a line here.
 */

export type CriticalityTier = 1 | 2 | 3;

export const CRITICALITY = {
  checkout: 1,
  orders: 1,
  'product-detail': 1,
  recommendations: 2,
  'stock-counts': 2,
  trending: 3,
  analytics: 3,
} as const satisfies Record<string, CriticalityTier>;

export type Feature = keyof typeof CRITICALITY;

/** What kind of answer a fallback tier gives (see fallback/tiers.ts). */
export type AnswerKind = 'live' | 'peer' | 'stale' | 'default' | 'omitted';

export interface TierRules {
  /** How the tier reads in docs and logs. */
  summary: string;
  /** Answers a chain for a feature of this tier may give. */
  allowedAnswers: readonly AnswerKind[];
  /** May an operator (or a brownout) switch the feature off entirely? */
  maySwitchOff: boolean;
}

export const TIER_RULES: Readonly<Record<CriticalityTier, TierRules>> = {
  1: {
    summary: 'must work: another region or a stale copy, never a made-up or missing answer',
    allowedAnswers: ['live', 'peer', 'stale'],
    maySwitchOff: false,
  },
  2: {
    summary: 'may degrade with notice: any fallback, down to leaving it out, always listed in `degraded`',
    allowedAnswers: ['live', 'peer', 'stale', 'default', 'omitted'],
    maySwitchOff: false,
  },
  3: {
    summary: 'may be switched off: any fallback, and may be turned off to save capacity',
    allowedAnswers: ['live', 'peer', 'stale', 'default', 'omitted'],
    maySwitchOff: true,
  },
};

export function tierOf(feature: Feature): CriticalityTier {
  return CRITICALITY[feature];
}

export function isFeature(name: unknown): name is Feature {
  return typeof name === 'string' && Object.hasOwn(CRITICALITY, name);
}
