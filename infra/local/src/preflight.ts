import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { takenPorts } from './net';
import { StackError } from './problem';
import { isOurProcess, signalGroup, waitForExit } from './procs';
import { readState, removeState, type StackState } from './state';
import type { InstanceSpec } from './topology';

/**
 * Checks run before `up` starts anything, so it fails in a second with a sentence instead of
 * half a stack and a stack trace.
 */

/** Is the supervisor recorded in `state` still running (same pid, same command line)? */
export function supervisorAlive(state: StackState): boolean {
  return state.supervisor.pid === process.pid || isOurProcess(state.supervisor.pid, state.supervisor.cmdline);
}

/**
 * Deals with the state a previous run left: refuses if its supervisor still runs, otherwise
 * kills the instances it left behind (a supervisor that was SIGKILLed cannot stop its children)
 * and removes the stale file. Returns how many orphans it killed.
 */
export async function cleanUpStaleState(stateFile: string, log: (line: string) => void): Promise<number> {
  const state = readState(stateFile);
  if (!state) return 0;
  // Our own pid here is an earlier, finished supervisor in this process (tests), not a live one.
  if (state.supervisor.pid !== process.pid && supervisorAlive(state)) {
    throw new StackError(
      'already-running',
      `a stack is already running (supervisor pid ${state.supervisor.pid}, control port ${state.controlPort ?? 'none'}); run 'npm run stack -- down' first`,
    );
  }
  const orphans = state.instances.filter((i) => isOurProcess(i.pid, i.entry)).map((i) => ({ id: i.id, pid: i.pid as number }));
  if (orphans.length > 0) {
    log(`cleaning up ${orphans.length} process(es) left by a previous run: ${orphans.map((o) => `${o.id} (pid ${o.pid})`).join(', ')}`);
    await terminatePids(orphans.map((o) => o.pid), 5000);
  }
  removeState(stateFile);
  return orphans.length;
}

/**
 * SIGTERM (and SIGCONT, for paused ones) in the given order, wait, SIGKILL what is left; each
 * to the process's group, so a broker's JVM goes with its wrapper. Only for pids known to be
 * ours (`isOurProcess`): the stack spawned them as group leaders.
 */
export async function terminatePids(pids: number[], timeoutMs: number): Promise<number[]> {
  for (const pid of pids) {
    signalGroup(pid, 'SIGTERM');
    signalGroup(pid, 'SIGCONT');
  }
  const stragglers = await waitForExit(pids, timeoutMs);
  for (const pid of stragglers) signalGroup(pid, 'SIGKILL');
  return waitForExit(stragglers, 5000);
}

/** Every entry file exists (services are written separately; say which one is missing). */
export function checkEntries(specs: InstanceSpec[], workspaceRoot: string): void {
  const missing = specs.filter((s) => !existsSync(resolve(workspaceRoot, s.entry)));
  if (missing.length > 0) {
    throw new StackError('start-failed', `cannot start: entry file missing for ${missing.map((s) => `${s.id} (${s.entry})`).join(', ')}`);
  }
}

/** Every port the stack will listen on is free; names the taken ones and who wanted them. */
export async function checkPorts(specs: InstanceSpec[], host: string, controlPort: number | undefined): Promise<void> {
  const wanted = new Map<number, string>();
  for (const spec of specs) {
    wanted.set(spec.port, spec.id);
    wanted.set(spec.adminPort, `${spec.id} (admin)`);
    for (const port of spec.extraPorts ?? []) wanted.set(port, spec.id);
  }
  if (controlPort) wanted.set(controlPort, 'the control API');
  const taken = await takenPorts([...wanted.keys()], host);
  if (taken.length > 0) {
    const list = taken.map((port) => `${host}:${port} (wanted by ${wanted.get(port)})`).join(', ');
    throw new StackError(
      'port-in-use',
      `port${taken.length > 1 ? 's' : ''} already in use: ${list}. Stop whatever listens there ('ss -ltnp' shows it) or change infra/local/stack.config.json`,
    );
  }
}
