import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { InstanceSpec } from './topology';

/**
 * What one instance is doing, from the supervisor's point of view (the process, not its health:
 * readiness is probed separately).
 * - starting: spawned, not yet seen ready;  running: seen ready since it was spawned;
 * - paused: SIGSTOPped;  stopping: SIGTERM sent;  stopped: stopped on request, stays down until `start`;
 * - held: SIGKILLed with `hold`, stays down until `start`;  backoff: crashed, waiting to be restarted;
 * - failed: exited while first starting (the `up` or `start-extra` that started it failed).
 */
export type InstanceState = 'starting' | 'running' | 'paused' | 'stopping' | 'stopped' | 'held' | 'backoff' | 'failed';

/**
 * What the supervisor knows of one instance: its spec (less the environment, which may hold
 * secrets) and how it runs. `entry` is also how a pid from an old state file is recognised as ours.
 */
export interface InstanceInfo extends Pick<InstanceSpec, 'id' | 'region' | 'service' | 'name' | 'version' | 'port' | 'adminPort' | 'extraPorts' | 'entry'> {
  url: string;
  extra: boolean;
  pid: number | null;
  state: InstanceState;
  restarts: number;
}

export type StackPhase = 'starting' | 'ready' | 'stopping' | 'failed';

/**
 * `.data/stack/state.json`, rewritten on every change so `down` and `status` work from it alone
 * when the supervisor is gone (crashed, SIGKILLed, machine slept through a restart loop...).
 */
export interface StackState {
  version: 1;
  phase: StackPhase;
  /** Why `up` failed, for `up --detach` to report after the background supervisor exited. */
  error?: string;
  supervisor: { pid: number; cmdline: string };
  host: string;
  controlPort: number | null;
  timeouts: { readyMs: number; stopMs: number };
  updatedAt: string;
  instances: InstanceInfo[];
}

export function writeState(file: string, state: StackState): void {
  mkdirSync(dirname(file), { recursive: true });
  // Write then rename: a reader never sees half a file, even if we die mid-write.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

/** The state, or undefined if there is none or it cannot be read as one. */
export function readState(file: string): StackState | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as StackState;
    return parsed?.version === 1 && Array.isArray(parsed.instances) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function removeState(file: string): void {
  rmSync(file, { force: true });
}
