import { z } from 'zod';
import { loadSheddingEnv } from './http/load-shedding-env';

/** What every keel process is told by the stack (see infra/local/src/topology.ts). */
export const baseEnvSchema = z.object({
  KEEL_SERVICE: z.string().min(1),
  KEEL_INSTANCE: z.string().min(1).optional(),
  KEEL_REGION: z.string().min(1).default('local'),
  KEEL_VERSION: z.string().min(1).default('0.0.0'),
  KEEL_HOST: z.string().default('127.0.0.1'),
  /** 0 lets the OS pick a free port (tests, extra instances). */
  PORT: z.coerce.number().int().min(0).max(65535),
  /** The admin listener (needs KEEL_TOKEN too); 0 lets the OS pick, as PORT does. */
  KEEL_ADMIN_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  KEEL_TOKEN: z.string().min(16).optional(),
  /**
   * Set by a parent that spawned this process with an IPC channel (the test harness): once
   * listening, the service sends it a ListeningReport (@keel/contracts) with the bound addresses.
   */
  KEEL_REPORT_LISTENING: z.literal('ipc').optional(),
  KEEL_DATA_DIR: z.string().default('.data/local'),
  KEEL_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  /** How long SIGTERM waits for in-flight requests before closing anyway. */
  KEEL_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  /** `/health/ready` runs the readiness checks at most this often; probes in between share the result. */
  KEEL_READINESS_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
  /**
   * Test seam: shift this process's wall clock for deadline computations, as if its host's clock
   * were off by this many ms (negative: behind). Never set it in a real deployment.
   */
  KEEL_CLOCK_SKEW_MS: z.coerce.number().int().default(0),
  /** `KEEL_SHEDDING=off` and `KEEL_SHED_LIMIT_*` overrides (see http/load-shedding-env.ts). */
  ...loadSheddingEnv,
});

export type BaseEnv = z.infer<typeof baseEnvSchema>;

/** Thrown when the environment does not describe a runnable service. */
export class InvalidEnvironmentError extends Error {}

/**
 * Validates the environment once, at start-up, so a misconfigured process refuses to start with a
 * message naming each bad variable instead of failing on its first request.
 */
export function parseEnv<S extends z.ZodRawShape>(
  extra: S,
  env: NodeJS.ProcessEnv = process.env,
): BaseEnv & z.infer<z.ZodObject<S>> {
  const result = baseEnvSchema.extend(extra).safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new InvalidEnvironmentError(`invalid environment:\n${lines.join('\n')}`);
  }
  return result.data as BaseEnv & z.infer<z.ZodObject<S>>;
}
