import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

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
export async function startServiceProcess(app: string, options: StartOptions = {}): Promise<ServiceProcess> {
  const entry = join(WORKSPACE_ROOT, 'apps', app, 'src', 'main.ts');
  if (!existsSync(entry)) throw new Error(`no such app: ${entry}`);
  const port = options.env?.PORT ? Number(options.env.PORT) : await freePort();
  const adminPort = await freePort();
  const token = randomBytes(16).toString('hex');
  const child = spawn(process.execPath, ['-r', '@swc-node/register', entry], {
    cwd: WORKSPACE_ROOT,
    env: {
      ...process.env,
      KEEL_SERVICE: app,
      KEEL_REGION: 'test',
      KEEL_VERSION: '0.0.0-test',
      KEEL_HOST: '127.0.0.1',
      PORT: String(port),
      KEEL_ADMIN_PORT: String(adminPort),
      KEEL_TOKEN: token,
      KEEL_DATA_DIR: options.dataDir ?? tempDir(`keel-${app}-`).dir,
      KEEL_LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const url = `http://127.0.0.1:${port}`;
  const handle: ServiceProcess = {
    url,
    adminUrl: `http://127.0.0.1:${adminPort}`,
    token,
    child,
    admin: (method, path, body) =>
      fetch(`http://127.0.0.1:${adminPort}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    output: () => output,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${app} exited with ${child.exitCode} during start:\n${output}`);
    try {
      const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(1_000) });
      if (response.status === 200) return handle;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  await handle.kill();
  throw new Error(`${app} was not ready within ${options.readyTimeoutMs ?? 30_000} ms:\n${output}`);
}
