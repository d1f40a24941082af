import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connectStack, type StackClient } from '@keel/stack';

const ROOT = resolve(__dirname, '../..');

/** The real local stack, started by its own CLI on a data dir of its own (the ports are the config's). */
export interface BenchStack {
  dataDir: string;
  client: StackClient;
  /** Wall-clock seconds `up --detach` took to report every instance ready. */
  upSeconds: number;
  down(): void;
  /** Removes the data dir (after `down`). */
  remove(): void;
}

function cli(dataDir: string, ...args: string[]): { status: number | null; out: string } {
  const run = spawnSync(process.execPath, ['-r', '@swc-node/register', 'infra/local/src/cli.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, KEEL_STACK_DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

/** `up --detach` on `dataDir` (a fresh temporary one by default); throws with the CLI's words when it fails (a stack already running, say). */
export async function upStack(dataDir = mkdtempSync(join(tmpdir(), 'keel-bench-stack-'))): Promise<BenchStack> {
  const started = process.hrtime.bigint();
  const up = cli(dataDir, 'up', '--detach');
  const upSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (up.status !== 0) throw new Error(`the stack did not come up (is another one running? 'npm run stack -- down'):\n${up.out.slice(-2_000)}`);
  const client = await connectStack({ dataDir });
  return {
    dataDir,
    client,
    upSeconds,
    down: () => {
      const down = cli(dataDir, 'down');
      if (down.status !== 0) throw new Error(`down failed:\n${down.out.slice(-2_000)}`);
    },
    remove: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

/** Resident memory (MiB) of a process and everything it started (a broker's wrapper and its JVM). */
export function residentMiB(pid: number): number {
  let kib = 0;
  for (const p of [pid, ...descendants(pid)]) {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readText(`/proc/${p}/status`));
    kib += match ? Number(match[1]) : 0;
  }
  return kib / 1024;
}

function descendants(pid: number): number[] {
  const children: number[] = [];
  for (const task of safeList(`/proc/${pid}/task`)) {
    for (const child of readText(`/proc/${pid}/task/${task}/children`).split(/\s+/).filter(Boolean)) {
      children.push(Number(child), ...descendants(Number(child)));
    }
  }
  return children;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function safeList(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}
