export { DEGRADED_HEADER, degradedFeatures } from './degraded';
export { FALLBACK_DEFAULTS } from './defaults';
export { fallbackChain, isClientErrorAnswer, type FallbackChain, type FallbackChainOptions, type FallbackResult } from './fallback-chain';
export { FeatureSwitches } from './feature-switches';
export { LastGoodCache, type LastGoodCacheOptions, type RememberedAnswer } from './last-good-cache';
export { fallbackTier, type FallbackTier, type TierAnswer } from './tiers';
