import type { StatusRow } from './api-types';
import { probe } from './net';
import type { InstanceInfo } from './state';

/**
 * Status rows for instances, probing `/health/live` and `/health/ready` of all of them in
 * parallel with a short timeout: a paused or wedged process shows as not live, not ready.
 */
export type ProbeTarget = Pick<InstanceInfo, 'id' | 'region' | 'service' | 'version' | 'pid' | 'port' | 'url' | 'restarts'> & { state: string };

export async function probeRows(instances: ProbeTarget[], timeoutMs = 800): Promise<StatusRow[]> {
  return Promise.all(
    instances.map(async (i) => {
      const up = i.pid !== null;
      const [live, ready] = up
        ? await Promise.all([probe(`${i.url}/health/live`, timeoutMs), probe(`${i.url}/health/ready`, timeoutMs)])
        : [{ ok: false }, { ok: false }];
      const row: StatusRow = {
        id: i.id,
        region: i.region,
        service: i.service,
        version: i.version,
        pid: i.pid,
        port: i.port,
        url: i.url,
        state: i.state,
        live: live.ok,
        ready: ready.ok,
        restarts: i.restarts,
      };
      return row;
    }),
  );
}
