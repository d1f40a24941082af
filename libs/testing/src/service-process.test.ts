import { afterAll, describe, expect, it } from 'vitest';
import { sendJson, startFixtureServer } from './fixture-server';
import { startServiceProcess, type ServiceProcess } from './service-process';

describe('startServiceProcess', () => {
  let catalog: ServiceProcess | undefined;
  afterAll(async () => {
    await catalog?.kill();
  });

  it('starts a real app process, waits until ready and stops it gracefully', async () => {
    catalog = await startServiceProcess('catalog');
    const live = await fetch(`${catalog.url}/health/live`);
    expect(live.status).toBe(200);
    expect(live.headers.get('x-served-by')).toBe('test/catalog@0.0.0-test');
    expect(await catalog.stop()).toBe(0);
  });

  it('serves on the ports the child itself bound, as it reported them', async () => {
    const carrier = await startServiceProcess('carrier');
    try {
      const info = (await (await carrier.admin('GET', '/admin/info')).json()) as { pid: number };
      expect(info.pid).toBe(carrier.child.pid);
      expect((await fetch(`${carrier.url}/health/ready`)).headers.get('x-served-by')).toBe('test/carrier@0.0.0-test');
    } finally {
      await carrier.stop();
    }
  });

  it("does not take another process's ready answer for its child's: a port already held fails the start", async () => {
    // A rival on the port the child is told to use, answering 200 to everything, /health/ready too.
    const rival = await startFixtureServer((_request, res) => sendJson(res, 200, { status: 'ok' }));
    try {
      const port = new URL(rival.url).port;
      await expect(startServiceProcess('carrier', { env: { PORT: port } })).rejects.toThrow(/exited with 1 during start[\s\S]*EADDRINUSE/);
    } finally {
      await rival.stop();
    }
  });

  it('refuses an app that does not exist', async () => {
    await expect(startServiceProcess('no-such-app')).rejects.toThrow(/no such app/);
  });
});
