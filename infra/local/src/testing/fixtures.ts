import { freePort, tempDir } from '@keel/testing';
import type { InstanceSpec, ServiceName } from '../topology';

/** Entry of the stand-in service, relative to the workspace root like real entries. */
export const FIXTURE_ENTRY = 'infra/local/src/testing/fixture-service.ts';

export interface FixtureOptions {
  region: string;
  service: ServiceName;
  /** Instance name; defaults to the service. */
  name?: string;
  version?: string;
  env?: Record<string, string>;
}

/**
 * Instance specs for stand-in services on ports the OS hands out, so tests never collide with
 * a real stack (8080, 81xx) or with each other.
 */
export async function fixtureInstances(fixtures: FixtureOptions[], host = '127.0.0.1'): Promise<InstanceSpec[]> {
  const specs: InstanceSpec[] = [];
  for (const f of fixtures) {
    const [port, adminPort] = [await freePort(host), await freePort(host)];
    const name = f.name ?? f.service;
    const version = f.version ?? '1.0.0';
    specs.push({
      id: `${f.region}/${name}`,
      region: f.region,
      service: f.service,
      name,
      version,
      port,
      adminPort,
      entry: FIXTURE_ENTRY,
      env: {
        KEEL_SERVICE: f.service,
        KEEL_INSTANCE: name,
        KEEL_REGION: f.region,
        KEEL_VERSION: version,
        KEEL_HOST: host,
        PORT: String(port),
        KEEL_ADMIN_PORT: String(adminPort),
        ...f.env,
      },
    });
  }
  return specs;
}

/** A throwaway data dir (state, token, logs) and a function that deletes it. */
export function tempDataDir(prefix = 'keel-stack-'): { dir: string; cleanup: () => void } {
  const { dir, remove } = tempDir(prefix);
  return { dir, cleanup: remove };
}
