import { readFileSync } from 'node:fs';

/** Is `pid` alive (a zombie or a stopped process counts as alive: it still holds its pid). */
export function isAlive(pid: number | null | undefined): pid is number {
  if (!pid || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive but someone else's. Not ours to manage, but alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Is `pid` alive and still the process we started? Pids are reused, so a pid from an old state
 * file is only signalled when its command line still names what we ran (Linux /proc). Where
 * /proc is missing we can only trust the pid.
 */
export function isOurProcess(pid: number | null | undefined, marker: string): pid is number {
  if (!isRunning(pid)) return false;
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT' || !procAvailable();
  }
  return cmdline.includes(marker);
}

function procAvailable(): boolean {
  try {
    readFileSync('/proc/self/cmdline');
    return true;
  } catch {
    return false;
  }
}

/** Sends a signal, ignoring a process that is already gone. Returns whether it was delivered. */
export function signal(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

/**
 * Signals `pid`'s whole process group when it leads one (the stack spawns every instance
 * detached, so it does), as an orchestrator signals every process of a container: a broker
 * wrapper's JVM is stopped, killed, paused and resumed with it. Falls back to the pid alone.
 */
export function signalGroup(pid: number, sig: NodeJS.Signals): boolean {
  if ((groupOf(pid) ?? pid) === pid) {
    try {
      process.kill(-pid, sig);
      return true;
    } catch {
      // no such group: fall back to the process itself
    }
  }
  return signal(pid, sig);
}

/**
 * SIGKILLs what is left of the group a process led, after that process has exited and been
 * reaped. Never falls back to the pid: that pid may already belong to someone else.
 */
export function killGroupLeftovers(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // nothing left: the usual case
  }
}

/**
 * Waits (bounded) until no process of group `pgid` is left. The leader exiting is not enough: a
 * broker wrapper dies at once on SIGKILL while its JVM may hold its port a few ms longer, and
 * whoever asked for the kill expects the port closed when the call returns.
 */
export async function waitGroupGone(pgid: number, timeoutMs: number, pollMs = 10): Promise<boolean> {
  const giveUpAt = Date.now() + timeoutMs;
  for (;;) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return true;
    }
    if (Date.now() >= giveUpAt) return false;
    await sleep(pollMs);
  }
}

/** The process group of `pid` (Linux /proc), or undefined when it cannot be read (gone, no /proc). */
function groupOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the command name in parentheses: state, ppid, pgrp.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return undefined;
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Alive and not a zombie: a process that still runs (and can hold ports). */
export function isRunning(pid: number | null | undefined): pid is number {
  return isAlive(pid) && !isZombie(pid);
}

/** Waits until none of `pids` is alive; returns those still alive at the deadline. */
export async function waitForExit(pids: number[], timeoutMs: number, pollMs = 50): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let alive = pids.filter(isRunning);
  while (alive.length > 0 && Date.now() < deadline) {
    await sleep(pollMs);
    alive = alive.filter(isRunning);
  }
  return alive;
}

/** A zombie has exited and only waits for its parent to reap it: it holds no ports or files. */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** This process's command line as the OS shows it, recorded so a later run can recognise it. */
export function ownCmdline(): string {
  try {
    return readFileSync('/proc/self/cmdline', 'utf8').split('\0').join(' ').trim();
  } catch {
    return [process.execPath, ...process.execArgv, ...process.argv.slice(1)].join(' ');
  }
}
