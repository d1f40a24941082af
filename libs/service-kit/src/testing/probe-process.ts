import { join } from 'node:path';
import { spawnService, WORKSPACE_ROOT, type ServiceProcess } from '@keel/testing';

export type ProbeProcess = ServiceProcess;

/**
 * Starts the deadline probe as its own OS process (its own clock seam, KEEL_CLOCK_SKEW_MS) and
 * waits until it is ready. libs/testing's startServiceProcess starts apps; this is a library fixture.
 */
export function startProbeProcess(env: Record<string, string>, readyTimeoutMs = 60_000): Promise<ProbeProcess> {
  const entry = join(WORKSPACE_ROOT, 'libs/service-kit/src/testing/deadline-probe.main.ts');
  return spawnService(entry, { env: { KEEL_SERVICE: 'deadline-probe', ...env }, readyTimeoutMs });
}
