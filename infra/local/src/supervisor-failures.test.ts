import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isRunning, ownCmdline } from './procs';
import { readState, writeState } from './state';
import { Supervisor } from './supervisor';
import { fixtureInstances, tempDataDir } from './testing/fixtures';
import { waitFor } from './testing/wait';
import { probe } from './net';
import { WORKSPACE_ROOT } from './topology';

describe('Supervisor failure paths', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const dataDir = () => {
    const data = tempDataDir();
    cleanups.push(data.cleanup);
    return data.dir;
  };
  const supervise = (options: ConstructorParameters<typeof Supervisor>[0]) => {
    const supervisor = new Supervisor({ readyTimeoutMs: 15_000, stopTimeoutMs: 3000, ...options });
    cleanups.push(() => supervisor.shutdown());
    return supervisor;
  };

  it('fails up, naming the instance and quoting its log, when one exits during start', async () => {
    const instances = await fixtureInstances([
      { region: 'us-east', service: 'catalog' },
      { region: 'us-east', service: 'checkout', env: { FIXTURE_EXIT_ON_START: '3' } },
    ]);
    const supervisor = supervise({ instances, dataDir: dataDir(), controlPort: 0 });
    const error = await supervisor.up().then(() => undefined, (e: Error) => e);
    expect(error?.message).toContain('us-east/checkout exited during start (exit code 3)');
    expect(error?.message).toContain('cannot start (FIXTURE_EXIT_ON_START)');
    // Nothing it started is left running; the state keeps the reason for `up --detach`.
    const state = readState(supervisor.paths.stateFile);
    expect(state).toMatchObject({ phase: 'failed', error: expect.stringContaining('us-east/checkout') });
    expect(state?.instances.every((i) => i.pid === null)).toBe(true);
    expect(supervisor.list().find((i) => i.id === 'us-east/catalog')?.state).toBe('stopped');
  });

  it('fails up with the instance and the probe result when it never gets ready', async () => {
    const instances = await fixtureInstances([{ region: 'eu-west', service: 'gateway', env: { FIXTURE_READY_DELAY_MS: '60000' } }]);
    // Long enough for the fixture to start listening on a busy 2-core machine, so the last probe
    // meets its 503 rather than a refused connection.
    const supervisor = supervise({ instances, dataDir: dataDir(), readyTimeoutMs: 8000 });
    await expect(supervisor.up()).rejects.toThrow(/eu-west\/gateway was not ready after 8000 ms \(GET .*\/health\/ready: 503\)/);
  });

  it('refuses to start when a port is taken, and says which', async () => {
    const instances = await fixtureInstances([{ region: 'us-east', service: 'catalog' }]);
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(instances[0].port, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => blocker.close(resolve)));
    const supervisor = supervise({ instances, dataDir: dataDir() });
    await expect(supervisor.up()).rejects.toThrow(`127.0.0.1:${instances[0].port} (wanted by us-east/catalog)`);
    expect(readState(supervisor.paths.stateFile)).toBeUndefined();
  });

  it('kills processes a dead supervisor left behind before starting', async () => {
    const dir = dataDir();
    const [orphanSpec] = await fixtureInstances([{ region: 'us-east', service: 'catalog' }]);
    const orphan = spawn(process.execPath, ['-r', '@swc-node/register', orphanSpec.entry], { cwd: WORKSPACE_ROOT, env: { ...process.env, ...orphanSpec.env }, stdio: 'ignore' });
    cleanups.push(() => orphan.kill('SIGKILL'));
    await waitFor('the orphan to listen', async () => (await probe(`http://127.0.0.1:${orphanSpec.port}/health/live`, 500)).ok);
    const supervisor = supervise({ instances: [orphanSpec], dataDir: dir, log: () => undefined });
    // A state file as a SIGKILLed supervisor leaves it: a dead supervisor pid, a live instance pid.
    writeState(supervisor.paths.stateFile, {
      version: 1,
      phase: 'ready',
      supervisor: { pid: 2 ** 22 + 1, cmdline: ownCmdline() },
      host: '127.0.0.1',
      controlPort: null,
      timeouts: { readyMs: 15_000, stopMs: 3000 },
      updatedAt: new Date().toISOString(),
      instances: [{ ...orphanSpec, url: `http://127.0.0.1:${orphanSpec.port}`, extra: false, pid: orphan.pid ?? null, state: 'running', restarts: 0 }],
    });
    await supervisor.up();
    await waitFor('the orphan to be gone', () => orphan.exitCode !== null || orphan.signalCode !== null, 2000);
    expect(supervisor.list()[0]).toMatchObject({ state: 'running' });
    expect(supervisor.list()[0].pid).not.toBe(orphan.pid);
  });

  it('SIGKILLs an instance that ignores SIGTERM after the stop timeout', async () => {
    const instances = await fixtureInstances([{ region: 'global', service: 'edge', env: { FIXTURE_IGNORE_SIGTERM: '1' } }]);
    const lines: string[] = [];
    const supervisor = supervise({ instances, dataDir: dataDir(), stopTimeoutMs: 700, log: (l) => lines.push(l) });
    const [edge] = await supervisor.up();
    const started = Date.now();
    await supervisor.act('global/edge', 'stop');
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
    expect(isRunning(edge.pid)).toBe(false);
    expect(lines).toContain('global/edge did not stop within 700 ms; sending SIGKILL');
  });
});
