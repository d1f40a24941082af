import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { createInterface } from 'node:readline';

/** A process the benchmark started, whose CPU time it can read. */
export interface BenchProcess {
  name: string;
  url: string;
  child: ChildProcess;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Lowers this process's (the load generator's) priority below the servers it measures. On a
 * 2-core machine the load generator, the fixtures and the gateway share the CPUs; the fixtures
 * stand for services on other machines, so when CPU is short the load generator, not the catalog,
 * should fall behind (the "sent" columns say when it did). Without this, at 2× overload a starved
 * catalog fixture looked like a slow dependency and the gateway's bulkhead refused Tier 1 for it.
 */
export function yieldToServers(): void {
  setPriority(process.pid, LOAD_GENERATOR_NICENESS);
}

const LOAD_GENERATOR_NICENESS = 10;

/**
 * Starts a TypeScript program (through SWC, as the stack starts apps) that prints
 * `listening <url>` when it is ready, and resolves with that url.
 */
export async function startProgram(name: string, entry: string, args: string[] = [], env: Record<string, string> = {}): Promise<BenchProcess> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', entry, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4_000)));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 30 s:\n${errors}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} during start:\n${errors}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const match = /^listening (\S+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  return { name, url, child, stop: (graceMs = 5_000) => stopChild(child, exited, graceMs) };
}

export async function stopChild(child: ChildProcess, exited: Promise<unknown>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux kernel keel runs on

/**
 * CPU seconds (user + system) a process has used so far, from /proc; undefined off Linux or once
 * it has exited. Differences of two readings give its CPU use over a run.
 */
export function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3; utime is 14, stime 15.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Resident set size of a process in MiB, from /proc; undefined off Linux. */
export function rssMiB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const kib = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib ? Number(kib) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU use of several processes over one piece of work, in cores (1 = one core busy throughout). */
export async function measureCpu<T>(pids: Record<string, number | undefined>, work: () => Promise<T>): Promise<{ result: T; cores: Record<string, number | undefined> }> {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid)]));
  const selfBefore = process.cpuUsage();
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1_000;
  const self = process.cpuUsage(selfBefore);
  const cores: Record<string, number | undefined> = {};
  for (const [name, pid] of Object.entries(pids)) {
    const after = cpuSeconds(pid);
    const start = before[name];
    cores[name] = after === undefined || start === undefined ? undefined : (after - start) / seconds;
  }
  cores['load generator (autocannon)'] = (self.user + self.system) / 1e6 / seconds;
  return { result, cores };
}
