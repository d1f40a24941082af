import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort, WORKSPACE_ROOT } from '@keel/testing';

export interface ProbeProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the deadline probe as its own OS process (its own clock seam, KEEL_CLOCK_SKEW_MS) and
 * waits until it is ready. libs/testing's startServiceProcess starts apps; this is a library fixture.
 */
export async function startProbeProcess(env: Record<string, string>, readyTimeoutMs = 60_000): Promise<ProbeProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(WORKSPACE_ROOT, 'libs/service-kit/src/testing/deadline-probe.main.ts')], {
    cwd: WORKSPACE_ROOT,
    env: { ...process.env, KEEL_SERVICE: 'deadline-probe', KEEL_REGION: 'test', PORT: String(port), KEEL_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const probe: ProbeProcess = {
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
  const giveUpAt = Date.now() + readyTimeoutMs;
  while (Date.now() < giveUpAt) {
    if (child.exitCode !== null) throw new Error(`deadline probe exited during start:\n${output}`);
    const status = await fetch(`${probe.url}/health/ready`, { signal: AbortSignal.timeout(1_000) }).then((r) => r.status, () => 0);
    if (status === 200) return probe;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await probe.stop();
  throw new Error(`deadline probe not ready within ${readyTimeoutMs} ms:\n${output}`);
}
