import { callControl } from './http-client';
import { takenPorts } from './net';
import { stackPaths } from './paths';
import { supervisorAlive, terminatePids } from './preflight';
import { isAlive, isOurProcess, isRunning, signal, sleep, waitForExit } from './procs';
import { readState, removeState, type StackState } from './state';
import { readToken } from './token';

export interface DownReport {
  /** How the stack was stopped: by its supervisor, by us from the state file, or there was none. */
  via: 'control-api' | 'state-file' | 'nothing-running';
  /** Ids of the instances the stack had. */
  instances: string[];
  /** What is still there afterwards, one sentence each; empty means down worked. */
  leftovers: string[];
}

export interface DownOptions {
  dataDir?: string;
  log?: (line: string) => void;
}

/**
 * Stops the stack and proves it: asks the supervisor (SIGTERM in reverse start order, SIGKILL
 * stragglers); if it does not answer, does the same itself from the pids in the state file,
 * supervisor first so nothing gets restarted behind its back. Then checks that no recorded
 * process is alive and no recorded port is still listening.
 */
export async function downStack(options: DownOptions = {}): Promise<DownReport> {
  const log = options.log ?? (() => undefined);
  const paths = stackPaths(options.dataDir);
  const state = readState(paths.stateFile);
  if (!state) return { via: 'nothing-running', instances: [], leftovers: [] };

  let via: DownReport['via'] = 'state-file';
  const token = readToken(paths.tokenFile);
  if (state.phase !== 'failed' && state.controlPort !== null && token && supervisorAlive(state)) {
    try {
      const endpoint = { host: state.host, port: state.controlPort, token };
      await callControl(endpoint, 'POST', '/shutdown', undefined, state.timeouts.stopMs + 15_000);
      via = 'control-api';
      if (state.supervisor.pid !== process.pid) await waitForExit([state.supervisor.pid], 5000);
    } catch (error) {
      log(`the supervisor did not shut down cleanly (${(error as Error).message}); stopping from the state file`);
    }
  }
  if (via === 'state-file') await stopFromState(state, log);

  const leftovers = await verifyDown(state);
  // Keep the state while anything is left, so a second `down` can try again.
  if (leftovers.length === 0) {
    removeState(paths.stateFile);
    await waitForReaping([state.supervisor.pid, ...state.instances.map((i) => i.pid)], 2000);
  }
  return { via, instances: state.instances.map((i) => i.id), leftovers };
}

async function stopFromState(state: StackState, log: (line: string) => void): Promise<void> {
  const { pid, cmdline } = state.supervisor;
  if (pid !== process.pid && isOurProcess(pid, cmdline)) {
    log(`killing the unresponsive supervisor (pid ${pid})`);
    signal(pid, 'SIGKILL');
    await waitForExit([pid], 5000);
  }
  const running = [...state.instances].reverse().filter((i) => isOurProcess(i.pid, i.entry));
  if (running.length === 0) return;
  log(`stopping ${running.length} process(es): ${running.map((i) => `${i.id} (pid ${i.pid})`).join(', ')}`);
  await terminatePids(running.map((i) => i.pid as number), state.timeouts.stopMs);
}

/** What is still alive or listening; re-checked briefly, since sockets close just after exit. */
async function verifyDown(state: StackState): Promise<string[]> {
  const owners = new Map<number, string>();
  for (const i of state.instances) {
    owners.set(i.port, i.id);
    owners.set(i.adminPort, `${i.id} admin`);
    for (const port of i.extraPorts ?? []) owners.set(port, i.id);
  }
  if (state.controlPort !== null) owners.set(state.controlPort, 'control API');
  let leftovers: string[] = [];
  for (let attempt = 0; attempt < 10; attempt += 1) {
    leftovers = state.instances.filter((i) => isOurProcess(i.pid, i.entry)).map((i) => `${i.id} (pid ${i.pid}) is still running`);
    const { pid, cmdline } = state.supervisor;
    if (pid !== process.pid && isOurProcess(pid, cmdline)) leftovers.push(`the supervisor (pid ${pid}) is still running`);
    const taken = await takenPorts([...owners.keys()], state.host);
    leftovers.push(...taken.map((port) => `port ${state.host}:${port} (${owners.get(port)}) is still in use`));
    if (leftovers.length === 0) break;
    await sleep(300);
  }
  return leftovers;
}

/**
 * Orphans are reaped by init, which can lag: until then `kill -0 <pid>` still succeeds on the
 * zombie. Waiting briefly means whoever checks pids after `down` sees them gone. Bounded.
 */
async function waitForReaping(pids: Array<number | null>, timeoutMs: number): Promise<void> {
  const zombies = () => pids.filter((pid): pid is number => pid !== null && pid !== process.pid && isAlive(pid) && !isRunning(pid));
  const deadline = Date.now() + timeoutMs;
  while (zombies().length > 0 && Date.now() < deadline) await sleep(50);
}
