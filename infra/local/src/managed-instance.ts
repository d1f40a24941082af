import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync } from 'node:fs';
import { backoffDelay, nextConsecutive, type RestartPolicy } from './backoff';
import { openLog, withLogTail } from './logs';
import { pollUntilOk } from './net';
import { instanceLogFile, type StackPaths } from './paths';
import { StackError } from './problem';
import { killGroupLeftovers, signalGroup, waitGroupGone } from './procs';
import type { InstanceInfo, InstanceState } from './state';
import type { InstanceSpec } from './topology';

/** What an instance needs from the supervisor that owns it. */
export interface InstanceContext {
  host: string;
  paths: StackPaths;
  token: string;
  workspaceRoot: string;
  restart: RestartPolicy;
  readyTimeoutMs: number;
  stopTimeoutMs: number;
  log(line: string): void;
  /** Called after every state change, so the state file follows. */
  changed(): void;
  /** False once the supervisor is shutting down: crashes then are not restarted. */
  canRestart(): boolean;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** One OS process the supervisor owns: spawns it, watches it, restarts it with backoff. */
export class ManagedInstance {
  state: InstanceState = 'stopped';
  restarts = 0;
  /**
   * Restarted on crash only once it has been ready: before that a crash means it cannot start
   * at all, and the `up` (or `start-extra`) that started it fails with its log instead of looping.
   */
  supervised = false;
  readonly logFile: string;
  private child?: ChildProcess;
  private consecutiveCrashes = 0;
  private startedAt = 0;
  private timer?: NodeJS.Timeout;
  private ready: Promise<void> = Promise.resolve();
  private exited: Promise<void> = Promise.resolve();
  private queue: Promise<unknown> = Promise.resolve();
  private stateBeforePause: InstanceState = 'running';

  constructor(
    readonly spec: InstanceSpec,
    private readonly ctx: InstanceContext,
  ) {
    this.logFile = instanceLogFile(ctx.paths, spec);
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  get url(): string {
    return `http://${this.ctx.host}:${this.spec.port}`;
  }

  info(): InstanceInfo {
    const { id, region, service, name, version, port, adminPort, extraPorts = [], entry } = this.spec;
    const { pid, url, state, restarts } = this;
    return { id, region, service, name, version, port, adminPort, extraPorts, url, entry, extra: this.spec.extra === true, pid, state, restarts };
  }

  /** Spawns the process now and starts watching for readiness. Use `waitReady()` to await it. */
  spawn(reason = 'start'): void {
    if (this.child) return;
    const { spec, ctx } = this;
    const fd = openLog(this.logFile, `${spec.id} ${reason}`);
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, ['-r', '@swc-node/register', spec.entry], {
        cwd: ctx.workspaceRoot,
        env: { ...process.env, ...spec.env, KEEL_TOKEN: ctx.token },
        stdio: ['ignore', fd, fd],
        // Own process group: Ctrl-C in the terminal reaches the supervisor only, which then
        // stops instances in order instead of every process dying at once.
        detached: true,
      });
    } finally {
      closeSync(fd);
    }
    this.child = child;
    this.startedAt = Date.now();
    this.state = 'starting';
    this.exited = new Promise<void>((resolve) => {
      let done = false;
      const finish = (code: number | null, sig: NodeJS.Signals | null) => {
        if (done) return;
        done = true;
        this.onExit(child, code, sig);
        resolve();
      };
      child.once('exit', finish);
      // A spawn that fails outright (e.g. EAGAIN) emits only 'error', never 'exit'.
      child.once('error', (error) => {
        ctx.log(`${spec.id}: could not spawn: ${error.message}`);
        if (child.pid === undefined) finish(null, null);
      });
    });
    this.ready = this.watchReady(child);
    this.ready.catch(() => undefined); // observed by whoever awaits waitReady(); never unhandled
    ctx.log(`starting ${spec.id} (pid ${child.pid ?? '?'}) on ${this.url}`);
    ctx.changed();
  }

  /** Resolves when the current process is ready; rejects (with its log tail) if it exits or times out. */
  waitReady(): Promise<void> {
    return this.ready;
  }

  private async watchReady(child: ChildProcess): Promise<void> {
    const gone = () => this.child !== child;
    const result = await pollUntilOk(`${this.url}/health/ready`, this.ctx.readyTimeoutMs, gone);
    const { id } = this.spec;
    if (gone()) {
      const how = describeExit(child.exitCode, child.signalCode);
      const why = this.state === 'stopped' || this.state === 'held' ? `was stopped during start (${how})` : `exited during start (${how})`;
      throw new StackError('start-failed', withLogTail(`${id} ${why}`, this.logFile));
    }
    if (!result.ok) {
      const detail = `${id} was not ready after ${this.ctx.readyTimeoutMs} ms (GET ${this.url}/health/ready: ${result.status})`;
      throw new StackError('start-failed', withLogTail(detail, this.logFile));
    }
    this.supervised = true;
    if (this.state === 'starting') this.state = 'running';
    this.ctx.log(`ready ${id} in ${seconds(Date.now() - this.startedAt)}`);
    this.ctx.changed();
  }

  private onExit(child: ChildProcess, code: number | null, sig: NodeJS.Signals | null): void {
    // Whatever the process left in its group (a broker's JVM) goes with it, as a container's
    // processes go when its main process dies: a restart then finds its ports free.
    if (child.pid) killGroupLeftovers(child.pid);
    if (this.child !== child) return;
    this.child = undefined;
    const { id } = this.spec;
    const how = describeExit(code, sig);
    if (this.state === 'stopping' || this.state === 'stopped') {
      this.state = 'stopped';
    } else if (this.state === 'held') {
      this.ctx.log(`${id} killed and held down (${how}); 'start' brings it back`);
    } else if (!this.supervised) {
      this.state = 'failed';
    } else if (!this.ctx.canRestart()) {
      this.state = 'stopped';
    } else {
      const uptime = Date.now() - this.startedAt;
      this.consecutiveCrashes = nextConsecutive(this.consecutiveCrashes, uptime, this.ctx.restart);
      const delay = backoffDelay(this.consecutiveCrashes, this.ctx.restart);
      this.state = 'backoff';
      this.ctx.log(`${id} exited unexpectedly (${how}) after ${seconds(uptime)}; restarting in ${delay} ms`);
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.exclusive(async () => this.restartFromBackoff());
      }, delay);
    }
    this.ctx.changed();
  }

  private restartFromBackoff(): void {
    if (this.state !== 'backoff' || !this.ctx.canRestart()) return;
    this.restarts += 1;
    try {
      this.spawn(`restart ${this.restarts} (backoff)`);
    } catch (error) {
      this.state = 'failed';
      this.ctx.log(`${this.spec.id}: restart failed: ${(error as Error).message}`);
      this.ctx.changed();
    }
  }

  /** Control operations run one at a time per instance, so stop/start/kill never interleave. */
  private exclusive<T>(op: () => Promise<T> | T): Promise<T> {
    const run = this.queue.then(op);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async waitExited(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const result = await Promise.race([this.exited.then(() => true as const), timeout]);
    clearTimeout(timer);
    return result;
  }

  /** SIGTERM, wait up to stopTimeoutMs, then SIGKILL (to its process group). Stays down until `start`. */
  stop(): Promise<void> {
    return this.exclusive(async () => {
      this.clearTimer();
      const child = this.child;
      if (!child?.pid) {
        if (this.state !== 'stopped') {
          this.state = 'stopped';
          this.ctx.changed();
        }
        return;
      }
      this.state = 'stopping';
      this.ctx.changed();
      signalGroup(child.pid, 'SIGTERM');
      signalGroup(child.pid, 'SIGCONT'); // a paused process has to run to act on SIGTERM
      if (await this.waitExited(this.ctx.stopTimeoutMs)) {
        await waitGroupGone(child.pid, this.ctx.stopTimeoutMs);
        this.ctx.log(`stopped ${this.spec.id}`);
        return;
      }
      this.ctx.log(`${this.spec.id} did not stop within ${this.ctx.stopTimeoutMs} ms; sending SIGKILL`);
      signalGroup(child.pid, 'SIGKILL');
      await this.waitExited(5000);
      await waitGroupGone(child.pid, 5000);
      this.ctx.log(`stopped ${this.spec.id} (SIGKILL)`);
    });
  }

  /** Starts a stopped, held, failed or backing-off instance and waits until it is ready. */
  async start(): Promise<void> {
    await this.exclusive(() => {
      if (this.child) return;
      this.clearTimer();
      if (this.state === 'backoff') this.restarts += 1; // the pending restart, only sooner
      else this.consecutiveCrashes = 0; // a deliberate start is a fresh start
      this.spawn('start (requested)');
    });
    await this.waitReady();
  }

  /** SIGKILL. Restarted with backoff, unless `hold`: then it stays down until `start`. */
  kill(hold = false): Promise<void> {
    return this.exclusive(async () => {
      const child = this.child;
      if (hold) this.clearTimer();
      if (!child?.pid) {
        if (hold && this.state === 'backoff') {
          this.state = 'held';
          this.ctx.changed();
        }
        return;
      }
      if (hold) this.state = 'held';
      signalGroup(child.pid, 'SIGKILL');
      await this.waitExited(5000);
      await waitGroupGone(child.pid, 5000);
    });
  }

  /** SIGSTOP: the process stays, holds its ports, and answers nothing (a hung process). */
  pause(): Promise<void> {
    return this.exclusive(() => {
      const pid = this.child?.pid;
      if (!pid || (this.state !== 'running' && this.state !== 'starting')) return;
      signalGroup(pid, 'SIGSTOP');
      this.stateBeforePause = this.state;
      this.state = 'paused';
      this.ctx.changed();
    });
  }

  resume(): Promise<void> {
    return this.exclusive(() => {
      const pid = this.child?.pid;
      if (!pid || this.state !== 'paused') return;
      signalGroup(pid, 'SIGCONT');
      this.state = this.stateBeforePause;
      this.ctx.changed();
    });
  }
}

export function describeExit(code: number | null, sig: NodeJS.Signals | string | null): string {
  if (sig) return `signal ${sig}`;
  if (code !== null) return `exit code ${code}`;
  return 'did not start';
}
