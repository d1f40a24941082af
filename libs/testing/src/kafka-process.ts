import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port';
import { tempDir, WORKSPACE_ROOT } from './service-process';

/**
 * The broker wrapper the stack runs, started by path: libs must not import infra code, and a
 * test should run the broker exactly as the stack does.
 */
export const KAFKA_BROKER_ENTRY = join('infra', 'kafka', 'src', 'broker-main.ts');

export interface KafkaProcess {
  /** `['127.0.0.1:<port>']`, what a client's `brokers` option takes. */
  brokers: string[];
  /** `http://127.0.0.1:<port>/health/ready` of the wrapper. */
  healthUrl: string;
  /** Pid of the wrapper; the broker JVM is its child, in the same process group. */
  pid: number;
  /** Everything the wrapper and the broker wrote, for assertion messages. */
  output(): string;
  /** SIGTERM (the broker shuts down cleanly), SIGKILL of the group after `graceMs`; removes a temp data dir. Resolves with the wrapper's exit code. */
  stop(graceMs?: number): Promise<number | null>;
  /** SIGKILL to the wrapper and the JVM at once, as a crash; removes a temp data dir. */
  kill(): Promise<void>;
}

export interface KafkaStartOptions {
  /** Keep the broker's data here (to restart on the same data); a fresh temp dir, removed on stop, by default. */
  dataDir?: string;
  /** Bound on reaching ready. Default 90 s: a first run on a fresh machine also fetches the jars (~40 s). */
  readyTimeoutMs?: number;
  /** Extra environment, e.g. `KEEL_KAFKA_HEAP`; `PORT`, `KEEL_KAFKA_PORT` and `KEEL_KAFKA_CONTROLLER_PORT` fix those ports. */
  env?: Record<string, string>;
}

/**
 * Starts a real single-node Kafka broker (KRaft) on free ports and waits until `/health/ready`
 * answers 200, meaning a client can describe the cluster, produce and consume. Give tests that
 * use it a hook timeout of `readyTimeoutMs` or more; a warm start takes 5-10 s.
 */
export async function startKafkaProcess(options: KafkaStartOptions = {}): Promise<KafkaProcess> {
  const entry = join(WORKSPACE_ROOT, KAFKA_BROKER_ENTRY);
  if (!existsSync(entry)) throw new Error(`the broker wrapper is missing: ${entry}`);
  // Ports named in `env` are kept (a test restarting a broker where its clients expect it).
  const port = async (name: string) => (options.env?.[name] ? Number(options.env[name]) : freePort());
  const [healthPort, brokerPort, controllerPort] = [await port('PORT'), await port('KEEL_KAFKA_PORT'), await port('KEEL_KAFKA_CONTROLLER_PORT')];
  const temp = options.dataDir ? undefined : tempDir('keel-kafka-');
  const child = spawn(process.execPath, ['-r', '@swc-node/register', entry], {
    cwd: WORKSPACE_ROOT,
    env: {
      ...process.env,
      KEEL_REGION: 'test',
      KEEL_HOST: '127.0.0.1',
      PORT: String(healthPort),
      KEEL_KAFKA_PORT: String(brokerPort),
      KEEL_KAFKA_CONTROLLER_PORT: String(controllerPort),
      KEEL_DATA_DIR: options.dataDir ?? (temp as { dir: string }).dir,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so `kill()` takes the JVM down with the wrapper, as a crash would.
    detached: true,
  });
  const pid = child.pid as number;
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-100_000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-100_000)));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const running = () => child.exitCode === null && child.signalCode === null;
  const cleanUp = () => temp?.remove();
  const signalGroup = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      // group already gone
    }
  };
  const healthUrl = `http://127.0.0.1:${healthPort}/health/ready`;

  const handle: KafkaProcess = {
    brokers: [`127.0.0.1:${brokerPort}`],
    healthUrl,
    pid,
    output: () => output,
    async stop(graceMs = 15_000) {
      let code: number | null = child.exitCode;
      if (running()) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
        code = await exited;
        clearTimeout(timer);
      }
      signalGroup('SIGKILL'); // nothing of the group outlives a stop, even if the wrapper misbehaved
      await groupGone(pid, 5_000);
      cleanUp();
      return code;
    },
    async kill() {
      signalGroup('SIGKILL');
      if (running()) await exited;
      await groupGone(pid, 5_000);
      cleanUp();
    },
  };

  const timeoutMs = options.readyTimeoutMs ?? 90_000;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!running()) {
      cleanUp();
      throw new Error(`the Kafka broker exited during start (code ${child.exitCode ?? child.signalCode}):\n${output}`);
    }
    try {
      const response = await fetch(healthUrl, { signal: AbortSignal.timeout(2_000) });
      // Ours only if it describes our broker: the health port was free when picked, and another
      // test's process may have taken it since (the wrapper then dies of EADDRINUSE, seen above).
      const body = response.status === 200 ? ((await response.json()) as { brokers?: Array<{ port?: number }> }) : await response.body?.cancel();
      if (body?.brokers?.some((broker) => broker.port === brokerPort)) return handle;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  await handle.kill();
  throw new Error(`the Kafka broker was not ready within ${timeoutMs} ms:\n${output}`);
}


/**
 * Waits (bounded) until no process of group `pgid` is left: the JVM, orphaned when its wrapper
 * died, is reaped by init a moment after the wrapper, and still holds its ports until then.
 */
async function groupGone(pgid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    if (Date.now() > deadline) return;
    await new Promise((done) => setTimeout(done, 25));
  }
}
