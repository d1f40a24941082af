import { z } from 'zod';
import { InvalidEnvironmentError, type BaseEnv } from '@keel/service-kit';
import { parseRegionList } from './regions/region-list';

/** What the stack tells edge (see `stackInstances` in infra/local/src/topology.ts). */
export const edgeEnv = {
  /** `name=url,name=url`: each region's gateway, in fail-over order. */
  KEEL_EDGE_REGIONS: z.string().transform((text, ctx) => {
    try {
      return parseRegionList(text);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  }),
  /** Where a client that names no known region goes; must be one of KEEL_EDGE_REGIONS. */
  KEEL_EDGE_DEFAULT_REGION: z.string().min(1).default('us-east'),
  /** How often each gateway's readiness is checked; at least once a second. */
  KEEL_EDGE_HEALTH_INTERVAL_MS: z.coerce.number().int().min(50).max(1_000).default(500),
} satisfies z.ZodRawShape;

export type EdgeEnv = BaseEnv & z.infer<z.ZodObject<typeof edgeEnv>>;

/** The default region must be one edge knows; zod checks each variable alone, so this runs after. */
export function checkEdgeEnv(env: Pick<EdgeEnv, 'KEEL_EDGE_REGIONS' | 'KEEL_EDGE_DEFAULT_REGION'>): void {
  const names = env.KEEL_EDGE_REGIONS.map((r) => r.name);
  if (!names.includes(env.KEEL_EDGE_DEFAULT_REGION)) {
    throw new InvalidEnvironmentError(`invalid environment:\n  KEEL_EDGE_DEFAULT_REGION: ${env.KEEL_EDGE_DEFAULT_REGION} is not one of KEEL_EDGE_REGIONS (${names.join(', ')})`);
  }
}
