import { spawn } from 'node:child_process';
import { closeSync, fstatSync, openSync, readSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import type { RestartPolicy } from './backoff';
import { openLog, tailLog } from './logs';
import { stackPaths } from './paths';
import { supervisorAlive } from './preflight';
import { StackError } from './problem';
import { sleep } from './procs';
import { type InstanceInfo, readState } from './state';
import { startGroups } from './targets';
import { type InstanceSpec, loadStackConfig, stackInstances, WORKSPACE_ROOT } from './topology';

/** Relative to the workspace root, like every entry the stack runs. */
export const CLI_ENTRY = 'infra/local/src/cli.ts';

/** What a detached supervisor runs when it is not the configured stack (written to a file it reads). */
export interface SuperviseSpec {
  instances: InstanceSpec[];
  controlPort?: number;
  readyTimeoutMs?: number;
  stopTimeoutMs?: number;
  restart?: RestartPolicy;
}

export interface UpDetachedOptions extends Partial<SuperviseSpec> {
  dataDir?: string;
  /** Each progress line the background supervisor prints while starting. */
  onProgress?: (line: string) => void;
}

export interface DetachedStack {
  supervisorPid: number;
  controlPort: number | null;
  instances: InstanceInfo[];
}

/**
 * `up --detach`: starts the supervisor as a background process (the hidden `supervise`
 * command) that outlives us, relays its progress, and resolves once every instance is ready.
 * Rejects with the supervisor's own reason if it fails; it then stops what it started itself.
 */
export async function upDetached(options: UpDetachedOptions = {}): Promise<DetachedStack> {
  const { dataDir, onProgress = () => undefined, ...custom } = options;
  const paths = stackPaths(dataDir);
  const previous = readState(paths.stateFile);
  if (previous && previous.phase !== 'failed' && supervisorAlive(previous)) {
    throw new StackError('already-running', `a stack is already running (supervisor pid ${previous.supervisor.pid}); run 'npm run stack -- down' first`);
  }
  const args = ['-r', '@swc-node/register', CLI_ENTRY, 'supervise'];
  if (Object.keys(custom).length > 0) {
    mkdirSync(paths.stackDir, { recursive: true });
    writeFileSync(paths.specFile, JSON.stringify({ instances: stackInstances(), ...custom } satisfies SuperviseSpec), { mode: 0o600 });
    args.push('--spec-file', paths.specFile);
  } else {
    rmSync(paths.specFile, { force: true });
  }

  const fd = openLog(paths.supervisorLog, 'supervise (detached)');
  const logStart = fstatSync(fd).size;
  let exitCode: number | null | undefined;
  let child;
  try {
    child = spawn(process.execPath, args, {
      cwd: WORKSPACE_ROOT,
      env: { ...process.env, KEEL_STACK_DATA_DIR: paths.root },
      stdio: ['ignore', fd, fd],
      detached: true, // own session: survives this terminal and our exit
    });
  } finally {
    closeSync(fd);
  }
  child.once('exit', (code, sig) => (exitCode = code ?? (sig ? 128 : 1)));
  child.once('error', () => (exitCode ??= 1));
  child.unref();
  const pid = child.pid ?? -1;

  const follower = new LogFollower(paths.supervisorLog, logStart, onProgress);
  const readyTimeoutMs = custom.readyTimeoutMs ?? loadStackConfig().readyTimeoutMs;
  const groups = startGroups((custom.instances ?? stackInstances()).map((spec) => ({ spec }))).length;
  const budgetMs = groups * readyTimeoutMs + 30_000;
  const deadline = Date.now() + budgetMs;
  while (Date.now() < deadline) {
    follower.poll();
    const state = readState(paths.stateFile);
    const ours = state?.supervisor.pid === pid ? state : undefined;
    if (ours?.phase === 'ready') return { supervisorPid: pid, controlPort: ours.controlPort, instances: ours.instances };
    if (exitCode !== undefined) {
      await sleep(50);
      follower.poll();
      const reason = ours?.error ?? (follower.failure || tailLog(paths.supervisorLog, 30) || `exit code ${exitCode}`);
      throw new StackError('start-failed', reason);
    }
    await sleep(200);
  }
  throw new StackError('start-failed', `the stack was not ready after ${Math.round(budgetMs / 1000)} s; see ${paths.supervisorLog}, and run 'npm run stack -- down'`);
}

/**
 * Relays lines appended to a log since `offset`, skipping the stack's own marker lines. From an
 * `up failed:` line on, lines are kept as the failure (reported once, by the caller) instead.
 */
class LogFollower {
  private partial = '';
  private failed: string[] = [];

  get failure(): string {
    return this.failed.join('\n').replace(/^up failed: /, '');
  }

  constructor(
    private readonly file: string,
    private offset: number,
    private readonly onLine: (line: string) => void,
  ) {}

  poll(): void {
    let fd: number | undefined;
    try {
      fd = openSync(this.file, 'r');
      const size = fstatSync(fd).size;
      if (size <= this.offset) return;
      const buffer = Buffer.alloc(size - this.offset);
      readSync(fd, buffer, 0, buffer.length, this.offset);
      this.offset = size;
      const lines = (this.partial + buffer.toString('utf8')).split('\n');
      this.partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!line || line.startsWith('--- [keel-stack]')) continue;
        if (line.startsWith('up failed: ') || this.failed.length > 0) this.failed.push(line);
        else this.onLine(line);
      }
    } catch {
      // The log is created before the child starts; a failed read is retried on the next poll.
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
}
