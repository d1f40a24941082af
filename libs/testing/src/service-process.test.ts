import { afterAll, describe, expect, it } from 'vitest';
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

  it('refuses an app that does not exist', async () => {
    await expect(startServiceProcess('no-such-app')).rejects.toThrow(/no such app/);
  });
});
