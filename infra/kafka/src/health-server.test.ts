import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { healthServer, type HealthOptions } from './health-server';
import type { ClusterDescription } from './metadata-probe';

const CLUSTER: ClusterDescription = { brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9192 }], controllerId: 1, clusterId: 'c' };
let close: (() => void) | undefined;
afterEach(() => close?.());

async function serve(options: Partial<HealthOptions>): Promise<(path: string) => Promise<{ status: number; body: Record<string, unknown>; servedBy: string | null }>> {
  const server = healthServer({ alive: () => true, describe: async () => CLUSTER, servedBy: 'us-east/kafka@3.9.1', ...options });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  close = () => server.close();
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return async (path) => {
    const res = await fetch(`${base}${path}`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, servedBy: res.headers.get('x-served-by') };
  };
}

describe('healthServer', () => {
  it('is ready only when the broker lists a broker, and says why not otherwise', async () => {
    let answer: () => Promise<ClusterDescription> = async () => ({ ...CLUSTER, brokers: [] });
    const get = await serve({ describe: () => answer(), cacheMs: 0 });
    expect(await get('/health/ready')).toMatchObject({ status: 503, body: { reason: /no unfenced broker/ } });
    answer = () => Promise.reject(new Error('connect ECONNREFUSED'));
    expect(await get('/health/ready')).toMatchObject({ status: 503, body: { reason: 'connect ECONNREFUSED' } });
    expect((await get('/health/startup')).status).toBe(503);
    answer = async () => CLUSTER;
    expect(await get('/health/ready')).toEqual({ status: 200, body: { status: 'ok', ...CLUSTER }, servedBy: 'us-east/kafka@3.9.1' });
    answer = () => Promise.reject(new Error('gone'));
    expect((await get('/health/ready')).status).toBe(503);
    expect((await get('/health/startup')).status).toBe(200); // started once: stays started
  });

  it('asks the broker at most once per cache period', async () => {
    let calls = 0;
    const get = await serve({ describe: async () => (calls++, CLUSTER), cacheMs: 60_000 });
    await Promise.all([get('/health/ready'), get('/health/ready'), get('/health/ready')]);
    expect(calls).toBe(1);
  });

  it('is not live, nor ready, once the broker process is gone; unknown paths are 404', async () => {
    let calls = 0;
    const get = await serve({ alive: () => false, describe: async () => (calls++, CLUSTER) });
    expect((await get('/health/live')).status).toBe(503);
    expect((await get('/health/ready')).status).toBe(503);
    expect(calls).toBe(0);
    expect((await get('/nope')).status).toBe(404);
  });
});
