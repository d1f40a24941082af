import { readFileSync } from 'node:fs';
import type { Action, StatusRow } from '../api-types';
import { connectStack } from '../client';
import { type SuperviseSpec, upDetached } from '../detach';
import { downStack } from '../down';
import { stackPaths } from '../paths';
import { StackError } from '../problem';
import { isOurProcess } from '../procs';
import { runSupervisor } from '../run';
import { readState } from '../state';
import { probeRows } from '../status';
import { addonInstances, loadStackConfig, stackInstances, TRAFFIC_ID } from '../topology';
import { statusTable } from './format';

/** Where commands write: stdout for results, stderr for progress and errors (so --json stays clean). */
export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** Thrown for bad command lines: exit code 2 and no stack trace. */
export class UsageError extends Error {}

export async function up({ detach, traffic }: { detach: boolean; traffic: boolean }, io: Io): Promise<number> {
  const config = loadStackConfig();
  if (detach) {
    try {
      // With --traffic the background supervisor gets its instance list in a spec file.
      const stack = await upDetached({ onProgress: io.err, ...(traffic ? { instances: stackInstances(config, process.env, { traffic }) } : {}) });
      io.out(statusTable(await probeRows(stack.instances)));
      io.out(`stack is up in the background (supervisor pid ${stack.supervisorPid}); 'npm run stack -- down' stops it`);
      return 0;
    } catch (error) {
      io.err(`up failed: ${(error as Error).message}`);
      return 1;
    }
  }
  return runSupervisor({
    instances: stackInstances(config, process.env, { traffic }),
    addons: addonInstances(config),
    controlPort: config.controlPort,
    host: config.host,
    restart: config.restart,
    readyTimeoutMs: config.readyTimeoutMs,
    out: io.err,
    err: io.err,
    onReady: (rows) => {
      io.out(statusTable(rows));
      io.out(`stack is up: ${rows.length} instances. Ctrl-C stops everything.`);
    },
  });
}

/** The hidden command `up --detach` runs in the background; output goes to .data/logs/supervisor.log. */
export async function supervise(specFile: string | undefined, io: Io): Promise<number> {
  const config = loadStackConfig();
  const spec: Partial<SuperviseSpec> = specFile ? (JSON.parse(readFileSync(specFile, 'utf8')) as SuperviseSpec) : {};
  return runSupervisor({
    instances: spec.instances ?? stackInstances(config),
    addons: addonInstances(config),
    controlPort: spec.controlPort ?? config.controlPort,
    host: config.host,
    restart: spec.restart ?? config.restart,
    readyTimeoutMs: spec.readyTimeoutMs ?? config.readyTimeoutMs,
    stopTimeoutMs: spec.stopTimeoutMs,
    out: io.out,
    err: io.err,
    onReady: (rows) => io.out(`all ready:\n${statusTable(rows)}`),
  });
}

/**
 * Status rows of the running stack. Without a live supervisor, the processes a dead one left
 * behind are still listed (state `orphaned`), since they still hold ports.
 */
export async function collectStatus(): Promise<{ rows: StatusRow[]; note?: string }> {
  try {
    const client = await connectStack();
    return { rows: await client.status() };
  } catch (error) {
    if (!(error instanceof StackError && error.kind === 'not-running')) throw error;
    const state = readState(stackPaths().stateFile);
    const orphans = (state?.instances ?? []).filter((i) => isOurProcess(i.pid, i.entry)).map((i) => ({ ...i, state: 'orphaned' as const }));
    if (orphans.length === 0) return { rows: [], note: `no stack is running; start one with 'npm start'` };
    const rows = await probeRows(orphans);
    return { rows, note: `${error.message}. ${orphans.length} process(es) it started are still running.` };
  }
}

export async function status(json: boolean, io: Io): Promise<number> {
  const { rows, note } = await collectStatus();
  if (json) {
    io.out(JSON.stringify(rows, null, 2));
    if (note && rows.length > 0) io.err(note);
    return 0;
  }
  if (rows.length > 0) io.out(statusTable(rows));
  if (note) io.out(note);
  return 0;
}

export async function down(io: Io): Promise<number> {
  const report = await downStack({ log: io.err });
  if (report.via === 'nothing-running') {
    io.out('no stack is running');
    return 0;
  }
  if (report.leftovers.length > 0) {
    io.err(`down did not finish; still there:\n${report.leftovers.map((l) => `  ${l}`).join('\n')}`);
    return 1;
  }
  const how = report.via === 'control-api' ? 'by its supervisor' : 'from the state file (the supervisor was gone)';
  io.out(`stack stopped ${how}: ${report.instances.length} instances, no process or port left`);
  return 0;
}

export async function control(action: Action, target: string, hold: boolean, io: Io): Promise<number> {
  const stack = await connectStack();
  const instances = await stack.act(target, action, { hold });
  for (const i of instances) io.out(`${i.id}: ${i.state}${i.pid === null ? '' : ` (pid ${i.pid})`}`);
  return 0;
}

export async function startExtra(
  service: string,
  values: { region?: string; version?: string; label?: string; env?: string[]; json?: boolean },
  io: Io,
): Promise<number> {
  if (!values.region || !values.version) throw new UsageError('start-extra needs --region and --version');
  const env: Record<string, string> = {};
  for (const pair of values.env ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--env takes KEY=VALUE, got '${pair}'`);
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const stack = await connectStack();
  const spec = await stack.startExtra({ service, region: values.region, version: values.version, label: values.label, env });
  if (values.json) io.out(JSON.stringify(spec, null, 2));
  else io.out(`started ${spec.id} (version ${spec.version}) at ${spec.url}`);
  return 0;
}

/** `traffic on|off`: starts or stops the background traffic generator of the running stack. */
export async function traffic(to: string, io: Io): Promise<number> {
  if (to !== 'on' && to !== 'off') throw new UsageError(`traffic takes 'on' or 'off', not '${to}'`);
  const stack = await connectStack();
  const { instance } = await stack.switchAddon(TRAFFIC_ID, to === 'on');
  if (instance) io.out(`traffic on: ${instance.id} (pid ${instance.pid ?? '?'}) sends the shopper mix to the edge; health at ${instance.url}/health/ready`);
  else io.out('traffic off');
  return 0;
}

export async function remove(id: string, io: Io): Promise<number> {
  const stack = await connectStack();
  await stack.remove(id);
  io.out(`removed ${id}`);
  return 0;
}
