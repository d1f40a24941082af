import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isListeningReport, type ListeningReport } from '@keel/contracts';

/** Tests run from the workspace root (Nx and vitest both start there). */
export const WORKSPACE_ROOT = resolve(process.cwd());

export function tempDir(prefix = 'keel-test-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ServiceProcess {
  url: string;
  adminUrl: string;
  token: string;
  child: ChildProcess;
  /** Calls the admin port with the token. */
  admin(method: string, path: string, body?: unknown): Promise<Response>;
  /** Everything the process wrote, for assertion messages. */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
  /** SIGKILL, as a crash. */
  kill(): Promise<void>;
}

export interface StartOptions {
  /** Extra environment (dependency URLs, overrides). */
  env?: Record<string, string>;
  /** Data dir for the service's database; a fresh temp dir by default. */
  dataDir?: string;
  readyTimeoutMs?: number;
  /**
   * Write the process's output to this file rather than a pipe back to this process: a pipe blocks
   * the child whenever this process's loop is busy (a benchmark generating load).
   */
  logFile?: string;
}

/**
 * Starts a keel app as a real OS process, exactly as the stack does (`apps/<app>/src/main.ts`
 * through SWC), and waits until `/health/ready` answers 200. For tests that need a real
 * neighbour service without importing another app's code.
 */
export function startServiceProcess(app: string, options: StartOptions = {}): Promise<ServiceProcess> {
  const entry = join(WORKSPACE_ROOT, 'apps', app, 'src', 'main.ts');
  if (!existsSync(entry)) return Promise.reject(new Error(`no such app: ${entry}`));
  return spawnService(entry, { ...options, env: { KEEL_SERVICE: app, ...options.env } });
}

/**
 * Starts any keel service entry point (one that calls `runService`) as its own process. Ports
 * are the OS's pick unless `env` names them: the child binds port 0 and reports what it got over
 * an IPC channel (`ListeningReport`). A port chosen here and handed over would be free only until
 * some other test process happened to pick it too; then one child dies of EADDRINUSE while its
 * parent polls, and gets ready answers from the other's.
 */
export async function spawnService(entry: string, options: StartOptions = {}): Promise<ServiceProcess> {
  const name = options.env?.KEEL_SERVICE ?? entry;
  const token = randomBytes(16).toString('hex');
  const logFd = options.logFile === undefined ? undefined : openSync(options.logFile, 'w');
  const child = spawn(process.execPath, ['-r', '@swc-node/register', entry], {
    cwd: WORKSPACE_ROOT,
    env: {
      ...process.env,
      KEEL_REGION: 'test',
      KEEL_VERSION: '0.0.0-test',
      KEEL_HOST: '127.0.0.1',
      PORT: '0',
      KEEL_ADMIN_PORT: '0',
      KEEL_TOKEN: token,
      KEEL_DATA_DIR: options.dataDir ?? tempDir(`keel-${name.replace(/\W+/g, '-')}-`).dir,
      KEEL_LOG_LEVEL: 'warn',
      ...options.env,
      KEEL_REPORT_LISTENING: 'ipc',
    },
    stdio: ['ignore', logFd ?? 'pipe', logFd ?? 'pipe', 'ipc'],
  });
  if (logFd !== undefined) closeSync(logFd);
  const output = capturedOutput(child, options.logFile);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const stop = async (graceMs = 10_000) => {
    if (gone()) return child.exitCode;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  const kill = async () => {
    if (gone()) return;
    child.kill('SIGKILL');
    await exited;
  };
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const deadline = Date.now() + readyTimeoutMs;
  const failed = async (why: string) => {
    await kill();
    return new Error(`${name} ${why}:\n${output()}`);
  };

  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<undefined>((done) => (timer = setTimeout(() => done(undefined), readyTimeoutMs)));
  const report = await Promise.race([listeningReport(child), exited.then(() => undefined), timedOut]).finally(() => clearTimeout(timer));
  if (!report) throw await failed(gone() ? `exited with ${child.exitCode} during start` : `did not start listening within ${readyTimeoutMs} ms`);
  const adminUrl = report.adminUrl ?? '';
  const handle: ServiceProcess = {
    url: report.url,
    adminUrl,
    token,
    child,
    admin: (method, path, body) =>
      fetch(`${adminUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    output,
    stop,
    kill,
  };
  while (Date.now() < deadline) {
    if (gone()) throw await failed(`exited with ${child.exitCode} during start`);
    const status = await fetch(`${handle.url}/health/ready`, { signal: AbortSignal.timeout(1_000) }).then((r) => r.status, () => 0);
    if (status === 200) return handle;
    await sleep(100);
  }
  throw await failed(`was not ready within ${readyTimeoutMs} ms`);
}

/** The child's one ListeningReport; the channel is closed once it came, or it would keep this process alive. */
function listeningReport(child: ChildProcess): Promise<ListeningReport> {
  return new Promise((done) => {
    const onMessage = (message: unknown) => {
      if (!isListeningReport(message) || message.pid !== child.pid) return;
      child.off('message', onMessage);
      child.disconnect();
      done(message);
    };
    child.on('message', onMessage);
  });
}

/** Everything the child wrote: collected from its pipes, or the last 4 kB of its log file. */
function capturedOutput(child: ChildProcess, logFile: string | undefined): () => string {
  if (logFile !== undefined) return () => readFileSync(logFile, 'utf8').slice(-4_000);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return () => output;
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));
