import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Shared by every test process on the machine: one file per port handed out, in a folder per window. */
const RESERVATIONS_DIR = join(tmpdir(), 'keel-test-ports');
/** How long a handed-out port stays refused to others: one to two windows (1–2 min). */
const WINDOW_MS = 60_000;
const ATTEMPTS = 50;

/**
 * A port nothing listens on right now on `host`, and that no other test process on this machine
 * was handed in the last minute or so.
 *
 * The OS picks the port (listen on 0) and we let it go, so it stays free only until someone binds
 * it, and the OS does not know we mean to. Linux hands the same port out again within seconds
 * (at random from the ephemeral range), and Nx runs several test processes at once: two of them
 * could be given one port for two services, and one would die of EADDRINUSE before it listened.
 * So each port handed out is also claimed in a folder all test processes share (a file created
 * exclusively); a port claimed in this window or the last is passed over for another.
 *
 * Where a service can bind port 0 itself and report back, prefer that (`spawnService` does).
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const port = await portTheOsPicks(host);
    if (claimPort(port)) return port;
  }
  throw new Error(`freePort: ${ATTEMPTS} ports in a row were already handed to other test processes (see ${RESERVATIONS_DIR})`);
}

async function portTheOsPicks(host: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((done, fail) => server.once('error', fail).listen(0, host, done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/** True when `port` was not claimed in this window or the last, and is now claimed in this one. */
export function claimPort(port: number): boolean {
  const window = Math.floor(Date.now() / WINDOW_MS);
  const folder = (w: number) => join(RESERVATIONS_DIR, String(w));
  mkdirSync(folder(window), { recursive: true });
  forgetWindowsBefore(window - 1);
  if (existsSync(join(folder(window - 1), String(port)))) return false;
  try {
    writeFileSync(join(folder(window), String(port)), String(process.pid), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function forgetWindowsBefore(oldest: number): void {
  for (const name of readdirSync(RESERVATIONS_DIR)) {
    if (Number(name) < oldest) rmSync(join(RESERVATIONS_DIR, name), { recursive: true, force: true });
  }
}
