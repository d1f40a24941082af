import type { Action, ActionOptions, ActionResponse, AddonResponse, ExtraRequest, ExtraSpec, InstancesResponse, StatusRow } from './api-types';
import { downStack, type DownReport } from './down';
import { callControl, type ControlEndpoint } from './http-client';
import { stackPaths, type StackPaths } from './paths';
import { supervisorAlive } from './preflight';
import { StackError } from './problem';
import { type InstanceInfo, readState } from './state';
import { probeRows } from './status';
import { readToken } from './token';

export interface ConnectOptions {
  /** Data dir of the stack to talk to. Default: KEEL_STACK_DATA_DIR or the config's `dataDir`. */
  dataDir?: string;
}

/** Slack on top of the supervisor's own bounds, for HTTP and process scheduling. */
const SLACK_MS = 10_000;

/**
 * A typed client for a running stack's control API. Chaos experiments, canary deploys and the
 * e2e tests drive the stack through this rather than through signals of their own.
 */
export class StackClient {
  constructor(
    private readonly endpoint: ControlEndpoint,
    private readonly timeouts: { readyMs: number; stopMs: number },
    readonly paths: StackPaths,
  ) {}

  get controlUrl(): string {
    return `http://${this.endpoint.host}:${this.endpoint.port}`;
  }

  /** The supervisor's view: every instance with pid, port, url, state, restarts. */
  async instances(): Promise<InstanceInfo[]> {
    return (await this.raw()).instances;
  }

  /** Like `instances()`, plus the supervisor pid and phase. */
  raw(): Promise<InstancesResponse> {
    return callControl<InstancesResponse>(this.endpoint, 'GET', '/instances', undefined, SLACK_MS);
  }

  /** `status --json` rows: instances plus live/ready probed now. */
  async status(probeTimeoutMs?: number): Promise<StatusRow[]> {
    return probeRows(await this.instances(), probeTimeoutMs);
  }

  /** Applies an action to `all`, a region or an instance id; returns the affected instances. */
  async act(target: string, action: Action, options: ActionOptions = {}): Promise<InstanceInfo[]> {
    const timeout = (action === 'start' ? this.timeouts.readyMs : this.timeouts.stopMs) + SLACK_MS;
    const path = `/targets/${encodeURIComponent(target)}/${action}`;
    const response = await callControl<ActionResponse>(this.endpoint, 'POST', path, options, timeout);
    return response.instances;
  }

  /** SIGTERM, then SIGKILL after the stop timeout; stays down until `start`. */
  stop(target: string): Promise<InstanceInfo[]> {
    return this.act(target, 'stop');
  }

  /** Starts stopped/held instances and waits until they are ready. */
  start(target: string): Promise<InstanceInfo[]> {
    return this.act(target, 'start');
  }

  /** SIGKILL; restarted with backoff unless `hold`, which keeps it down until `start`. */
  kill(target: string, options: { hold?: boolean } = {}): Promise<InstanceInfo[]> {
    return this.act(target, 'kill', options);
  }

  /** SIGSTOP: the process keeps its ports but answers nothing. */
  pause(target: string): Promise<InstanceInfo[]> {
    return this.act(target, 'pause');
  }

  resume(target: string): Promise<InstanceInfo[]> {
    return this.act(target, 'resume');
  }

  /** Starts `<region>/<service>~<label>` on a free port and waits until it is ready. */
  startExtra(request: ExtraRequest): Promise<ExtraSpec> {
    return callControl<ExtraSpec>(this.endpoint, 'POST', '/extras', request, this.timeouts.readyMs + SLACK_MS);
  }

  /** Stops an extra and forgets it. */
  async remove(id: string): Promise<void> {
    await callControl(this.endpoint, 'DELETE', `/extras/${encodeURIComponent(id)}`, undefined, this.timeouts.stopMs + SLACK_MS);
  }

  /** Switches an add-on (`global/traffic`) on (started, ready) or off (stopped, forgotten). */
  switchAddon(id: string, on: boolean): Promise<AddonResponse> {
    const timeout = (on ? this.timeouts.readyMs : this.timeouts.stopMs) + SLACK_MS;
    return callControl<AddonResponse>(this.endpoint, 'POST', `/addons/${encodeURIComponent(id)}/${on ? 'on' : 'off'}`, undefined, timeout);
  }

  /** Asks the supervisor to stop everything and exit. `down()` also verifies and cleans up. */
  async shutdown(): Promise<InstanceInfo[]> {
    const response = await callControl<{ instances: InstanceInfo[] }>(this.endpoint, 'POST', '/shutdown', undefined, this.timeouts.stopMs + SLACK_MS);
    return response.instances;
  }

  /** Stops the whole stack and checks nothing is left (processes, ports). */
  down(): Promise<DownReport> {
    return downStack({ dataDir: this.paths.root });
  }
}

/**
 * Connects to the stack whose state lives in the data dir. Throws a 'not-running' StackError
 * with what to do when there is none, or its supervisor is gone.
 */
export async function connectStack(options: ConnectOptions = {}): Promise<StackClient> {
  const paths = stackPaths(options.dataDir);
  const state = readState(paths.stateFile);
  const token = readToken(paths.tokenFile);
  if (!state || state.phase === 'failed' || state.controlPort === null || !token) {
    throw new StackError('not-running', `no stack is running (data dir ${paths.root}); start one with 'npm start'`);
  }
  if (!supervisorAlive(state)) {
    throw new StackError('not-running', `the stack's supervisor (pid ${state.supervisor.pid}) is gone; run 'npm run stack -- down' to clean up what it left`);
  }
  const client = new StackClient({ host: state.host, port: state.controlPort, token }, state.timeouts, paths);
  await client.raw();
  return client;
}
