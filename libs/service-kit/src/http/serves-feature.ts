import { RouteConfig } from '@nestjs/platform-fastify';
import { isFeature, type Feature } from '@keel/resilience';

const FEATURE_KEY = 'keelFeature';

/**
 * Tags a route with the feature it serves, from the criticality matrix, so the load shedder knows
 * its priority: `@Get(':id') @ServesFeature('product-detail')`. One line beside the route rather
 * than a table elsewhere that drifts from the routes. It sets Fastify route config; a route that
 * also uses `@RouteConfig` must put `keelFeature` in that config instead (the later one wins).
 */
export const ServesFeature = (feature: Feature) => RouteConfig({ [FEATURE_KEY]: feature });

/** The feature a route's config is tagged with, if any. */
export function taggedFeature(config: unknown): Feature | undefined {
  const tagged = (config as Record<string, unknown> | undefined)?.[FEATURE_KEY];
  return isFeature(tagged) ? tagged : undefined;
}
