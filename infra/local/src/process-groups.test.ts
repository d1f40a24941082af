import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terminatePids } from './preflight';
import { isRunning, signal } from './procs';
import { Supervisor } from './supervisor';
import { fixtureInstances, tempDataDir } from './testing/fixtures';
import { waitFor } from './testing/wait';

/** Process state letter from /proc (R, S, T = stopped, Z); undefined once gone. */
function procState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0];
  } catch {
    return undefined;
  }
}

// Fixture "wrappers" that run a `sleep` child and leave it behind when they exit, as the Kafka
// broker wrapper would leave its JVM if only its own pid were signalled.
describe('instances as process groups', () => {
  const data = tempDataDir();
  let supervisor: Supervisor;
  const whoami = async (id: string) => {
    const instance = supervisor.list().find((i) => i.id === id);
    const body = (await fetch(`${instance?.url}/whoami`).then((r) => r.json())) as { pid: number; childPid: number };
    return body;
  };

  beforeAll(async () => {
    const instances = await fixtureInstances(
      ['a', 'b', 'c', 'd'].map((name) => ({ region: 'test', service: 'catalog' as const, name, env: { FIXTURE_CHILD: '1' } })),
    );
    supervisor = new Supervisor({ instances, dataDir: data.dir, readyTimeoutMs: 15_000, stopTimeoutMs: 3000, restart: { initialDelayMs: 100, maxDelayMs: 100, resetAfterMs: 30_000 } });
    await supervisor.up();
  });

  afterAll(async () => {
    await supervisor?.shutdown();
    data.cleanup();
  });

  it('kill takes the child down with its wrapper', async () => {
    const { pid, childPid } = await whoami('test/a');
    expect(isRunning(childPid)).toBe(true);
    await supervisor.act('test/a', 'kill', { hold: true });
    await waitFor('the child to be gone', () => !isRunning(childPid), 5000);
    expect(isRunning(pid)).toBe(false);
  });

  it('stop takes the child down too, though the wrapper itself never stops it', async () => {
    const { childPid } = await whoami('test/b');
    await supervisor.act('test/b', 'stop');
    await waitFor('the child to be gone', () => !isRunning(childPid), 5000);
  });

  it('pause freezes the child with its wrapper; resume thaws both', async () => {
    const { pid, childPid } = await whoami('test/c');
    await supervisor.act('test/c', 'pause');
    await waitFor('both stopped', () => procState(pid) === 'T' && procState(childPid) === 'T', 3000);
    await supervisor.act('test/c', 'resume');
    await waitFor('both running', () => procState(pid) !== 'T' && procState(childPid) !== 'T', 3000);
  });

  it('a wrapper that crashes on its own takes its child with it, and comes back', async () => {
    const { pid, childPid } = await whoami('test/d');
    signal(pid, 'SIGKILL'); // the wrapper alone, from outside the stack
    await waitFor('the orphaned child to be gone', () => !isRunning(childPid), 5000);
    await waitFor('a restart', async () => (await whoami('test/d').catch(() => undefined))?.pid !== pid && supervisor.list().find((i) => i.id === 'test/d')?.state === 'running', 10_000);
  });

  it('the state-file fallback (terminatePids) stops the whole group', async () => {
    await supervisor.act('test/a', 'start');
    const { pid, childPid } = await whoami('test/a');
    expect(await terminatePids([pid], 3000)).toEqual([]);
    await waitFor('the child to be gone', () => !isRunning(childPid), 5000);
  });
});
