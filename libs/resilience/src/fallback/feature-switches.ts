import { TIER_RULES, tierOf, type Feature } from '../criticality';

/**
 * Features switched off on purpose (to save capacity, or because they misbehave). Only features
 * whose tier allows it (Tier 3) can be switched off; a fallback chain for a switched-off feature
 * goes straight to its omit tier without calling anything.
 */
export class FeatureSwitches {
  private readonly off = new Set<Feature>();

  switchOff(feature: Feature): void {
    const tier = tierOf(feature);
    if (!TIER_RULES[tier].maySwitchOff) throw new Error(`${feature} is Tier ${tier} (${TIER_RULES[tier].summary}): it cannot be switched off`);
    this.off.add(feature);
  }

  switchOn(feature: Feature): void {
    this.off.delete(feature);
  }

  isOff(feature: Feature): boolean {
    return this.off.has(feature);
  }

  switchedOff(): Feature[] {
    return [...this.off];
  }
}
