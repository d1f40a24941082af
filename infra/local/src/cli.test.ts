import { execFile, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '@keel/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { upDetached } from './detach';
import { downStack } from './down';
import { isPortFree } from './net';
import { isRunning } from './procs';
import { fixtureInstances, tempDataDir } from './testing/fixtures';
import { waitFor } from './testing/wait';
import { WORKSPACE_ROOT } from './topology';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The real CLI as a child process, exactly as `npm run stack -- <args>` runs it. */
function cli(args: string[], dataDir?: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', '@swc-node/register', 'infra/local/src/cli.ts', ...args],
      { cwd: WORKSPACE_ROOT, env: { ...process.env, ...(dataDir ? { KEEL_STACK_DATA_DIR: dataDir } : {}) }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('stack CLI', () => {
  it('prints help and exits 0', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('usage: npm start');
    for (const command of ['up', 'status', 'down', 'stop', 'start', 'kill', 'pause', 'resume', 'start-extra', 'remove', 'traffic']) expect(run.stdout).toContain(`  ${command}`);
    const sub = await cli(['start-extra', '--help']);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain('--region');
    const up = await cli(['up', '--help']);
    expect(up.stdout).toContain('--traffic');
  });

  it('rejects an unknown command or flag with exit 2 and no stack trace', async () => {
    const unknown = await cli(['explode']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`unknown command 'explode'`);
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
    for (const args of [['traffic'], ['traffic', 'sideways']]) {
      const traffic = await cli(args);
      expect(traffic.code, args.join(' ')).toBe(2);
      expect(traffic.stderr).toMatch(/missing <on\|off>|'on' or 'off'/);
    }
    const flag = await cli(['status', '--colour']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--colour');
    expect(flag.stderr).not.toMatch(/\n\s+at /);
  });

  describe('against a detached stack of fixtures', () => {
    const data = tempDataDir();
    afterAll(async () => {
      await downStack({ dataDir: data.dir });
      data.cleanup();
    });

    it('says so when no stack runs (status, status --json, down, stop)', async () => {
      expect(await cli(['status', '--json'], data.dir)).toMatchObject({ code: 0, stdout: '[]\n' });
      expect((await cli(['status'], data.dir)).stdout).toContain('no stack is running');
      expect((await cli(['down'], data.dir)).stdout).toContain('no stack is running');
      const stop = await cli(['stop', 'all'], data.dir);
      expect(stop.code).toBe(1);
      expect(stop.stderr).toContain('no stack is running');
    });

    it('up --detach, status --json, kill, down: nothing left behind', async () => {
      const instances = await fixtureInstances([
        { region: 'us-east', service: 'catalog' },
        { region: 'eu-west', service: 'catalog' },
      ]);
      const progress: string[] = [];
      const stack = await upDetached({ dataDir: data.dir, instances, controlPort: await freePort(), readyTimeoutMs: 15_000, stopTimeoutMs: 3000, onProgress: (l) => progress.push(l) });
      expect(progress).toContain('all 2 instances ready');
      expect(isRunning(stack.supervisorPid)).toBe(true);

      const status = await cli(['status', '--json'], data.dir);
      expect(status.code).toBe(0);
      const rows = JSON.parse(status.stdout) as Array<Record<string, unknown>>;
      expect(rows).toHaveLength(2);
      expect(Object.keys(rows[0]).sort()).toEqual(['id', 'live', 'pid', 'port', 'ready', 'region', 'restarts', 'service', 'state', 'url', 'version']);
      expect(rows[0]).toMatchObject({ id: 'us-east/catalog', region: 'us-east', service: 'catalog', version: '1.0.0', live: true, ready: true, restarts: 0 });

      const kill = await cli(['kill', 'eu-west/catalog', '--hold'], data.dir);
      expect(kill).toMatchObject({ code: 0, stdout: 'eu-west/catalog: held\n' });
      expect((await cli(['status'], data.dir)).stdout).toMatch(/eu-west\s+catalog\s+catalog\s+1\.0\.0\s+-\s+\d+\s+\S+\s+held\s+no\s+no\s+0/);

      const down = await cli(['down'], data.dir);
      expect(down.code).toBe(0);
      expect(down.stdout).toContain('stack stopped by its supervisor: 2 instances, no process or port left');
      await waitFor('the supervisor to exit', () => !isRunning(stack.supervisorPid), 5000);
      for (const row of rows) {
        expect(isRunning(row.pid as number)).toBe(false);
        expect(await isPortFree(row.port as number, '127.0.0.1')).toBe(true);
      }
    });

    it('down falls back to the state file when the supervisor was SIGKILLed', async () => {
      const instances = await fixtureInstances([{ region: 'global', service: 'edge' }]);
      const stack = await upDetached({ dataDir: data.dir, instances, controlPort: await freePort(), readyTimeoutMs: 15_000, stopTimeoutMs: 3000 });
      const [edge] = stack.instances;
      process.kill(stack.supervisorPid, 'SIGKILL');
      await waitFor('the supervisor to die', () => !isRunning(stack.supervisorPid), 5000);
      expect(isRunning(edge.pid)).toBe(true);

      const status = await cli(['status'], data.dir);
      expect(status.stdout).toContain('orphaned');
      expect(status.stdout).toContain('is gone');

      const down = await cli(['down'], data.dir);
      expect(down.code).toBe(0);
      expect(down.stdout).toContain('from the state file');
      expect(isRunning(edge.pid)).toBe(false);
      expect(await cli(['status', '--json'], data.dir)).toMatchObject({ stdout: '[]\n' });
    });

    it('a foreground supervisor stops everything on Ctrl-C (SIGINT) and exits 0', async () => {
      const instances = await fixtureInstances([{ region: 'us-east', service: 'gateway' }]);
      const specFile = join(data.dir, 'foreground.json');
      writeFileSync(specFile, JSON.stringify({ instances, controlPort: await freePort(), readyTimeoutMs: 15_000, stopTimeoutMs: 3000 }));
      const child = spawn(process.execPath, ['-r', '@swc-node/register', 'infra/local/src/cli.ts', 'supervise', '--spec-file', specFile], {
        cwd: WORKSPACE_ROOT,
        env: { ...process.env, KEEL_STACK_DATA_DIR: data.dir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      try {
        await waitFor('the table of URLs', () => output.includes('all ready:'), 20_000);
        expect(output).toContain(`http://127.0.0.1:${instances[0].port}`);
        const [gateway] = JSON.parse((await cli(['status', '--json'], data.dir)).stdout) as Array<{ pid: number }>;
        child.kill('SIGINT');
        expect(await exited).toBe(0);
        expect(output).toContain('SIGINT: stopping the stack');
        expect(isRunning(gateway.pid)).toBe(false);
        expect(await isPortFree(instances[0].port, '127.0.0.1')).toBe(true);
      } finally {
        child.kill('SIGKILL');
      }
    });

    it('up --detach reports why it failed', async () => {
      const instances = await fixtureInstances([{ region: 'us-east', service: 'checkout', env: { FIXTURE_EXIT_ON_START: '4' } }]);
      await expect(upDetached({ dataDir: data.dir, instances, controlPort: 0, readyTimeoutMs: 15_000 })).rejects.toThrow(
        'us-east/checkout exited during start (exit code 4)',
      );
      expect((await cli(['status', '--json'], data.dir)).stdout).toBe('[]\n');
    });
  });
});
