import { spawn } from 'node:child_process';
import { freePort, type FixtureServer, WORKSPACE_ROOT } from '@keel/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeOf, startShopFixture } from './testing/shop-fixture';

describe('traffic-main (background traffic)', () => {
  let shop: FixtureServer;
  beforeAll(async () => {
    shop = await startShopFixture();
  });
  afterAll(async () => {
    await shop?.stop();
  });

  it('serves health, sends all four kinds of request, and exits 0 promptly on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'load/src/traffic-main.ts'], {
      cwd: WORKSPACE_ROOT,
      env: { ...process.env, PORT: String(port), KEEL_TRAFFIC_TARGET: shop.url, KEEL_TRAFFIC_RATE: '20', KEEL_TRAFFIC_ROUND_S: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const kinds = () => new Set(shop.requests.map(routeOf).filter(Boolean));
      const deadline = Date.now() + 15_000;
      while (kinds().size < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect([...kinds()].sort(), output).toEqual(['browse', 'checkout', 'product', 'recommendations']);

      const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'up', target: shop.url, rate: 20 });
      expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
      // Round summaries are JSON lines.
      const deadlineLog = Date.now() + 5000;
      while (!output.includes('"traffic round"') && Date.now() < deadlineLog) await new Promise((r) => setTimeout(r, 100));
      const round = output.split('\n').find((l) => l.includes('"traffic round"'));
      expect(JSON.parse(round ?? '{}')).toMatchObject({ level: 'info', service: 'traffic', requests: expect.any(Number) });
    } finally {
      const stoppedAt = Date.now();
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(Date.now() - stoppedAt).toBeLessThan(2000);
    }
  });
});
