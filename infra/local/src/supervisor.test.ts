import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectStack, type StackClient } from './client';
import { downStack } from './down';
import { isPortFree, probe } from './net';
import { isRunning } from './procs';
import { readState } from './state';
import { Supervisor } from './supervisor';
import { fixtureInstances, tempDataDir } from './testing/fixtures';
import { waitFor } from './testing/wait';

// One real stack of stand-in services (separate processes, OS-picked ports) for the whole file.
describe('Supervisor with fixture instances', () => {
  const data = tempDataDir();
  const lines: string[] = [];
  let supervisor: Supervisor;
  let stack: StackClient;
  const pidOf = async (id: string) => (await stack.instances()).find((i) => i.id === id)?.pid ?? null;

  beforeAll(async () => {
    const instances = await fixtureInstances([
      { region: 'global', service: 'payment-provider', name: 'provider-a' },
      // The catalogs take a moment to drain on SIGTERM: the provider they depend on must outlast them.
      { region: 'us-east', service: 'catalog', env: { FIXTURE_STOP_DELAY_MS: '400' } },
      { region: 'eu-west', service: 'catalog', env: { FIXTURE_STOP_DELAY_MS: '400' } },
    ]);
    const addons = await fixtureInstances([{ region: 'global', service: 'traffic' }]);
    supervisor = new Supervisor({
      instances,
      addons,
      dataDir: data.dir,
      controlPort: 0,
      readyTimeoutMs: 15_000,
      stopTimeoutMs: 3000,
      log: (line) => lines.push(line),
    });
    await supervisor.up();
    stack = await connectStack({ dataDir: data.dir });
  });

  afterAll(async () => {
    await supervisor?.shutdown();
    data.cleanup();
  });

  it('starts every instance in order and reports them ready', async () => {
    const rows = await stack.status();
    expect(rows.map((r) => r.id)).toEqual(['global/provider-a', 'us-east/catalog', 'eu-west/catalog']);
    for (const row of rows) {
      expect(row).toMatchObject({ live: true, ready: true, state: 'running', restarts: 0 });
      expect(isRunning(row.pid)).toBe(true);
    }
    // The provider group is ready before the catalogs are even started.
    const readyProvider = lines.findIndex((l) => l.startsWith('ready global/provider-a'));
    const startCatalog = lines.findIndex((l) => l.startsWith('starting us-east/catalog'));
    expect(readyProvider).toBeGreaterThanOrEqual(0);
    expect(readyProvider).toBeLessThan(startCatalog);
    expect(lines).toContain('all 3 instances ready');
  });

  it('passes the stack token to every instance and keeps the state file current', async () => {
    const [provider] = await stack.instances();
    const whoami = await fetch(`${provider.url}/whoami`).then((r) => r.json() as Promise<{ token: string }>);
    const { readToken } = await import('./token');
    expect(whoami.token).toBe(readToken(supervisor.paths.tokenFile));
    const state = readState(supervisor.paths.stateFile);
    expect(state).toMatchObject({ phase: 'ready', supervisor: { pid: process.pid }, controlPort: supervisor.controlPort });
    expect(state?.instances.map((i) => i.pid)).toEqual((await stack.instances()).map((i) => i.pid));
  });

  it('restarts a process killed from outside, with a new pid and restarts=1', async () => {
    const before = await pidOf('us-east/catalog');
    process.kill(before as number, 'SIGKILL');
    const after = await waitFor('a restarted catalog', async () => {
      const info = (await stack.instances()).find((i) => i.id === 'us-east/catalog');
      return info && info.pid !== null && info.pid !== before && info.state === 'running' ? info : undefined;
    });
    expect(after.restarts).toBe(1);
    expect(lines.some((l) => l.includes('us-east/catalog exited unexpectedly (signal SIGKILL)'))).toBe(true);
    expect(readState(supervisor.paths.stateFile)?.instances.find((i) => i.id === 'us-east/catalog')?.pid).toBe(after.pid);
  });

  it('kill --hold keeps it down until start', async () => {
    const [held] = await stack.kill('eu-west/catalog', { hold: true });
    expect(held).toMatchObject({ state: 'held', pid: null });
    await new Promise((resolve) => setTimeout(resolve, 600)); // longer than the first backoff
    const still = (await stack.status()).find((r) => r.id === 'eu-west/catalog');
    expect(still).toMatchObject({ state: 'held', pid: null, live: false, ready: false });
    const [started] = await stack.start('eu-west/catalog');
    expect(started.state).toBe('running');
    expect((await probe(`${started.url}/health/ready`, 1000)).ok).toBe(true);
  });

  it('pause makes /health/ready time out; resume restores it', async () => {
    const [paused] = await stack.pause('global/provider-a');
    expect(paused.state).toBe('paused');
    expect(await probe(`${paused.url}/health/ready`, 300)).toEqual({ ok: false, status: 'timeout' });
    expect((await stack.status(300)).find((r) => r.id === 'global/provider-a')).toMatchObject({ live: false, ready: false });
    const [resumed] = await stack.resume('global/provider-a');
    expect(resumed.state).toBe('running');
    expect((await probe(`${resumed.url}/health/ready`, 1000)).ok).toBe(true);
  });

  it('starts an extra instance on a free port and removes it', async () => {
    const extra = await stack.startExtra({ service: 'catalog', region: 'us-east', version: '1.1.0', label: 'canary', env: { FIXTURE_EXTRA: 'yes' } });
    expect(extra).toMatchObject({ id: 'us-east/catalog~canary', version: '1.1.0', extra: true, region: 'us-east', service: 'catalog' });
    const whoami = await fetch(`${extra.url}/whoami`).then((r) => r.json() as Promise<Record<string, unknown>>);
    expect(whoami).toMatchObject({ version: '1.1.0', instance: 'catalog~canary', extra: 'yes' });
    const info = (await stack.instances()).find((i) => i.id === extra.id);
    expect(info).toMatchObject({ state: 'running', extra: true, port: extra.port });
    // A region target includes its extras.
    expect((await stack.pause('us-east')).map((i) => i.id)).toEqual(['us-east/catalog', 'us-east/catalog~canary']);
    await stack.resume('us-east');

    await stack.remove(extra.id);
    expect((await stack.instances()).some((i) => i.id === extra.id)).toBe(false);
    expect(isRunning(info?.pid)).toBe(false);
    expect(await isPortFree(extra.port, '127.0.0.1')).toBe(true);
  });

  it('switches an add-on (the traffic generator) on, idempotently, and off again, leaving no trace', async () => {
    const on = await stack.switchAddon('global/traffic', true);
    expect(on).toMatchObject({ id: 'global/traffic', on: true, instance: { id: 'global/traffic', service: 'traffic', state: 'running' } });
    const pid = on.instance?.pid;
    expect(isRunning(pid)).toBe(true);
    expect((await stack.status()).find((r) => r.id === 'global/traffic')).toMatchObject({ live: true, ready: true });
    expect((await stack.switchAddon('global/traffic', true)).instance?.pid).toBe(pid);
    expect(readState(supervisor.paths.stateFile)?.instances.some((i) => i.id === 'global/traffic')).toBe(true);

    expect(await stack.switchAddon('global/traffic', false)).toEqual({ id: 'global/traffic', on: false, instance: null });
    expect(isRunning(pid)).toBe(false);
    expect(await isPortFree(on.instance?.port as number, '127.0.0.1')).toBe(true);
    expect((await stack.instances()).map((i) => i.id)).toEqual(['global/provider-a', 'us-east/catalog', 'eu-west/catalog']);
    expect(readState(supervisor.paths.stateFile)?.instances.some((i) => i.id === 'global/traffic')).toBe(false);
    expect(await stack.switchAddon('global/traffic', false)).toMatchObject({ on: false });
    await expect(stack.switchAddon('us-east/catalog', true)).rejects.toMatchObject({ kind: 'unknown-target', status: 404 });
  });

  it('rejects unknown targets, extras that exist and removing regular instances', async () => {
    await expect(stack.stop('us-west/catalog')).rejects.toMatchObject({ kind: 'unknown-target', status: 404 });
    await expect(stack.startExtra({ service: 'nope', region: 'us-east', version: '1' })).rejects.toMatchObject({ status: 404 });
    await expect(stack.remove('us-east/catalog')).rejects.toMatchObject({ status: 400 });
  });

  it('down stops everything: no process alive, no port listening, no state left', async () => {
    const before = await stack.instances();
    const report = await downStack({ dataDir: data.dir });
    expect(report).toMatchObject({ via: 'control-api', leftovers: [] });
    for (const i of before) {
      expect(isRunning(i.pid)).toBe(false);
      expect(await isPortFree(i.port, '127.0.0.1')).toBe(true);
    }
    expect(readState(supervisor.paths.stateFile)).toBeUndefined();
    await expect(connectStack({ dataDir: data.dir })).rejects.toMatchObject({ kind: 'not-running' });
    // Reverse start order, a service at a time: the provider only once both catalogs have gone.
    const stopped = (id: string) => lines.lastIndexOf(`stopped ${id}`);
    expect(stopped('us-east/catalog')).toBeGreaterThanOrEqual(0);
    expect(stopped('eu-west/catalog')).toBeGreaterThanOrEqual(0);
    expect(stopped('global/provider-a')).toBeGreaterThan(Math.max(stopped('us-east/catalog'), stopped('eu-west/catalog')));
  });
});
