import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isListeningReport, type ListeningReport } from '@keel/contracts';

/** Tests run from the workspace root (Nx and vitest both start there). */
export const WORKSPACE_ROOT = resolve(process.cwd());

/** A port nothing listens on right now on `host` (the OS picked it, then we let it go). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  await new Promise<void>((done, fail) => server.once('error', fail).listen(0, host, done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

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
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const listening = new Promise<ListeningReport>((done) => {
    const onMessage = (message: unknown) => {
      if (!isListeningReport(message) || message.pid !== child.pid) return;
      child.off('message', onMessage);
      // One message is all the channel is for; left open it would keep this process alive.
      child.disconnect();
      done(message);
    };
    child.on('message', onMessage);
  });
  const stop = async (graceMs = 10_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await exited;
  };
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const deadline = Date.now() + readyTimeoutMs;
  const gaveUp = (why: string) => new Error(`${name} ${why}:\n${output}`);
  const timeout = new Promise<'timeout'>((done) => setTimeout(done, readyTimeoutMs, 'timeout').unref());
  const report = await Promise.race([listening, exited.then((code) => ({ exitCode: code })), timeout]);
  if (report === 'timeout') {
    await kill();
    throw gaveUp(`did not start listening within ${readyTimeoutMs} ms`);
  }
  if ('exitCode' in report) throw gaveUp(`exited with ${report.exitCode} during start`);
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
    output: () => output,
    stop,
    kill,
  };
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw gaveUp(`exited with ${child.exitCode} during start`);
    try {
      const response = await fetch(`${handle.url}/health/ready`, { signal: AbortSignal.timeout(1_000) });
      if (response.status === 200) return handle;
    } catch {
      // listening, but not answering yet
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  await kill();
  throw gaveUp(`was not ready within ${readyTimeoutMs} ms`);
}
