import type { Action, ActionOptions, ExtraRequest, ExtraSpec } from './api-types';
import type { RestartPolicy } from './backoff';
import { ControlServer, type ControlTarget } from './control-server';
import { buildExtraSpec } from './extras';
import { fetchKafkaJars } from './kafka-jars';
import { ManagedInstance } from './managed-instance';
import { stackPaths, type StackPaths } from './paths';
import { checkEntries, checkPorts, cleanUpStaleState } from './preflight';
import { StackError } from './problem';
import { ownCmdline } from './procs';
import { type InstanceInfo, removeState, type StackPhase, writeState } from './state';
import { resolveTarget, startGroups, stopInReverse } from './targets';
import { ensureToken } from './token';
import { type InstanceSpec, KAFKA_ENTRY, loadStackConfig, WORKSPACE_ROOT } from './topology';

export interface SupervisorOptions {
  /** What to run, in start order: `stackInstances()` for the real stack, fixtures in tests. */
  instances: InstanceSpec[];
  /**
   * Instances `switchAddon` may start later (and stop and forget again): `addonInstances()`,
   * the traffic generator. One that is also in `instances` starts with the rest. Default none.
   */
  addons?: InstanceSpec[];
  /** Data dir (state, token, logs). Default: KEEL_STACK_DATA_DIR or the config's `dataDir`. */
  dataDir?: string;
  host?: string;
  /** Control API port; 0 lets the OS pick; undefined runs no control API. */
  controlPort?: number;
  restart?: RestartPolicy;
  readyTimeoutMs?: number;
  /** How long `stop` waits after SIGTERM before SIGKILL. Default 10 s. */
  stopTimeoutMs?: number;
  /** Progress lines ("starting …", "ready …", restarts). Default: none. */
  log?: (line: string) => void;
  workspaceRoot?: string;
}

/**
 * Runs the stack's processes as an orchestrator would: in dependency order, each group waited on
 * until ready, crashes restarted with backoff, and every change written to the state file so
 * `status` and `down` still work if this process dies.
 */
export class Supervisor implements ControlTarget {
  readonly paths: StackPaths;
  readonly host: string;
  readonly closed: Promise<void>;
  readonly supervisorPid = process.pid;
  private readonly cmdline = ownCmdline();
  private readonly instances = new Map<string, ManagedInstance>();
  private readonly options: Required<Omit<SupervisorOptions, 'controlPort' | 'dataDir'>> & { controlPort?: number };
  private phase: StackPhase = 'starting';
  private error?: string;
  private token = '';
  private control?: ControlServer;
  private started = false;
  private closing = false;
  private finished = false;
  private shutdownRun?: Promise<InstanceInfo[]>;
  /** Aborts work `up` does before spawning (the Kafka jar fetch) when the stack is shut down. */
  private readonly preparing = new AbortController();
  private resolveClosed: () => void = () => undefined;

  constructor(options: SupervisorOptions) {
    const config = options.host && options.restart && options.readyTimeoutMs ? undefined : loadStackConfig();
    this.options = {
      instances: options.instances,
      addons: options.addons ?? [],
      host: options.host ?? config?.host ?? '127.0.0.1',
      controlPort: options.controlPort,
      restart: options.restart ?? config?.restart ?? { initialDelayMs: 250, maxDelayMs: 10_000, resetAfterMs: 30_000 },
      readyTimeoutMs: options.readyTimeoutMs ?? config?.readyTimeoutMs ?? 60_000,
      stopTimeoutMs: options.stopTimeoutMs ?? 10_000,
      log: options.log ?? (() => undefined),
      workspaceRoot: options.workspaceRoot ?? WORKSPACE_ROOT,
    };
    this.host = this.options.host;
    this.paths = stackPaths(options.dataDir);
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
  }

  get controlPort(): number | null {
    return this.control?.port ?? null;
  }

  /** Starts everything; resolves when all are ready. On failure stops what it started and rejects. */
  async up(): Promise<InstanceInfo[]> {
    if (this.started) throw new StackError('conflict', 'this supervisor was already started');
    this.started = true;
    const { instances: specs, host, controlPort, workspaceRoot } = this.options;
    const ids = new Set<string>();
    for (const spec of specs) {
      if (ids.has(spec.id)) throw new StackError('bad-request', `duplicate instance id ${spec.id}`);
      ids.add(spec.id);
    }
    try {
      // Nothing is started and the state file is not touched until these pass: a refused `up`
      // must not disturb a stack that is already running.
      await cleanUpStaleState(this.paths.stateFile, this.options.log);
      checkEntries(specs, workspaceRoot);
      await checkPorts(specs, host, controlPort);
      this.token = ensureToken(this.paths.tokenFile);
    } catch (error) {
      this.closing = this.finished = true;
      this.resolveClosed();
      throw error;
    }
    for (const spec of specs) this.instances.set(spec.id, this.instance(spec));
    try {
      if (controlPort !== undefined) {
        this.control = new ControlServer(this, this.token, host);
        await this.control.listen(controlPort);
      }
      this.writeStateFile();
      if (specs.some((spec) => spec.entry === KAFKA_ENTRY)) {
        await fetchKafkaJars(workspaceRoot, this.options.log, this.preparing.signal);
      }
      for (const group of startGroups([...this.instances.values()])) {
        this.assertOpen();
        for (const instance of group) instance.spawn();
        await waitAll(group.map((instance) => instance.waitReady()));
      }
      this.assertOpen();
    } catch (error) {
      // A shutdown requested while starting (Ctrl-C, `down`) is not a failed start.
      if (this.closing) throw new StackError('shutting-down', 'the stack was shut down while starting');
      this.error = error instanceof Error ? error.message : String(error);
      await this.shutdown();
      throw error;
    }
    this.phase = 'ready';
    this.writeStateFile();
    this.options.log(`all ${this.instances.size} instances ready`);
    return this.list();
  }

  list(): InstanceInfo[] {
    return [...this.instances.values()].map((instance) => instance.info());
  }

  get currentPhase(): StackPhase {
    return this.phase;
  }

  /** Applies `action` to a target (`all`, a region, an instance id); returns the affected instances. */
  async act(target: string, action: Action, options: ActionOptions = {}): Promise<InstanceInfo[]> {
    this.assertOpen();
    const targets = resolveTarget(target, [...this.instances.values()]);
    switch (action) {
      case 'stop':
        await stopInReverse(targets);
        break;
      case 'start':
        for (const group of startGroups(targets)) await waitAll(group.map((i) => i.start()));
        break;
      case 'kill':
        await Promise.all(targets.map((i) => i.kill(options.hold === true)));
        break;
      case 'pause':
        await Promise.all(targets.map((i) => i.pause()));
        break;
      case 'resume':
        await Promise.all(targets.map((i) => i.resume()));
        break;
    }
    return targets.map((i) => i.info());
  }

  /** Starts an extra instance (a canary, say) and waits until it is ready; on failure forgets it. */
  async startExtra(request: ExtraRequest): Promise<ExtraSpec> {
    this.assertOpen();
    const spec = await buildExtraSpec(request, [...this.instances.values()].map((i) => i.spec), this.host);
    this.assertOpen();
    if (this.instances.has(spec.id)) throw new StackError('conflict', `${spec.id} already exists`);
    const instance = this.instance(spec);
    this.instances.set(spec.id, instance);
    instance.spawn();
    try {
      await instance.waitReady();
    } catch (error) {
      await instance.stop();
      this.instances.delete(spec.id);
      this.writeStateFile();
      throw error;
    }
    return { ...spec, url: instance.url };
  }

  /** Stops an extra and forgets it. */
  async remove(id: string): Promise<void> {
    this.assertOpen();
    const instance = this.instances.get(id);
    if (!instance) throw new StackError('unknown-target', `no instance ${id}`);
    if (!instance.spec.extra) throw new StackError('bad-request', `${id} is not an extra; only instances made by start-extra can be removed (use stop)`);
    await instance.stop();
    this.instances.delete(id);
    this.writeStateFile();
  }

  /**
   * Switches an add-on on (starts it and waits until it is ready; a no-op if it runs) or off
   * (stops it and forgets it, like an extra; a no-op if it is not there).
   */
  async switchAddon(id: string, on: boolean): Promise<InstanceInfo | null> {
    this.assertOpen();
    const spec = this.options.addons.find((s) => s.id === id);
    if (!spec) {
      const known = this.options.addons.map((s) => s.id).join(', ') || 'none';
      throw new StackError('unknown-target', `no add-on '${id}' (add-ons: ${known})`);
    }
    const current = this.instances.get(id);
    if (!on) {
      if (!current) return null;
      await current.stop();
      this.instances.delete(id);
      this.writeStateFile();
      return null;
    }
    if (current) {
      await current.start();
      return current.info();
    }
    checkEntries([spec], this.options.workspaceRoot);
    await checkPorts([spec], this.host, undefined);
    this.assertOpen();
    if (this.instances.has(id)) throw new StackError('conflict', `${id} is being switched on already`);
    const instance = this.instance(spec);
    this.instances.set(id, instance);
    instance.spawn();
    try {
      await instance.waitReady();
    } catch (error) {
      await instance.stop();
      this.instances.delete(id);
      this.writeStateFile();
      throw error;
    }
    return instance.info();
  }

  /**
   * Stops everything (SIGTERM in reverse start order, SIGKILL after the stop timeout), removes
   * the state file (keeps it, with the error, if `up` failed) and closes the control API.
   */
  shutdown(): Promise<InstanceInfo[]> {
    this.shutdownRun ??= this.runShutdown();
    return this.shutdownRun;
  }

  private async runShutdown(): Promise<InstanceInfo[]> {
    this.closing = true;
    this.preparing.abort();
    if (!this.started || this.finished) {
      this.finished = true;
      this.resolveClosed();
      return this.list();
    }
    this.phase = 'stopping';
    this.writeStateFile();
    await stopInReverse([...this.instances.values()]);
    const final = this.list();
    if (this.error) {
      this.phase = 'failed';
      this.writeStateFile();
    } else {
      removeState(this.paths.stateFile);
    }
    this.finished = true;
    // Not awaited here: a /shutdown request is itself an open connection on that server.
    const control = this.control;
    void (control ? control.close() : Promise.resolve()).then(() => this.resolveClosed());
    return final;
  }

  private assertOpen(): void {
    if (this.closing) throw new StackError('shutting-down', 'the stack is shutting down');
  }

  private instance(spec: InstanceSpec): ManagedInstance {
    const { host, restart, readyTimeoutMs, stopTimeoutMs, log, workspaceRoot } = this.options;
    return new ManagedInstance(spec, {
      host,
      paths: this.paths,
      token: this.token,
      workspaceRoot,
      restart,
      readyTimeoutMs,
      stopTimeoutMs,
      log,
      changed: () => this.writeStateFile(),
      canRestart: () => !this.closing,
    });
  }

  private writeStateFile(): void {
    if (this.finished) return;
    writeState(this.paths.stateFile, {
      version: 1,
      phase: this.phase,
      error: this.error,
      supervisor: { pid: this.supervisorPid, cmdline: this.cmdline },
      host: this.host,
      controlPort: this.controlPort,
      timeouts: { readyMs: this.options.readyTimeoutMs, stopMs: this.options.stopTimeoutMs },
      updatedAt: new Date().toISOString(),
      instances: this.list(),
    });
  }
}

/** Waits for all; if any failed, throws one error whose message lists every failure. */
async function waitAll(promises: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as Error);
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new StackError('start-failed', failures.map((f) => f.message).join('\n'));
}
