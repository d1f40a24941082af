import type { StatusRow } from './api-types';
import { StackError } from './problem';
import { sleep } from './procs';
import { probeRows } from './status';
import { Supervisor, type SupervisorOptions } from './supervisor';

export interface RunOptions extends Omit<SupervisorOptions, 'log'> {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Called once everything is ready, with probed status rows (the CLI prints the URL table). */
  onReady?: (rows: StatusRow[]) => void;
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * A supervisor as a process's whole job (foreground `up`, and the detached `supervise`): start
 * the stack, then run until a signal or `POST /shutdown` stops it. Returns the exit code:
 * 0 after a clean stop (also when interrupted while starting), 1 when `up` failed.
 */
export async function runSupervisor(options: RunOptions): Promise<number> {
  const { out, err, onReady, ...rest } = options;
  const supervisor = new Supervisor({ ...rest, log: out });
  let signalled = false;
  const onSignal = (sig: NodeJS.Signals) => {
    out(signalled ? `${sig}: still stopping (at most ${(rest.stopTimeoutMs ?? 10_000) / 1000} s more)` : `${sig}: stopping the stack`);
    signalled = true;
    void supervisor.shutdown();
  };
  for (const sig of SIGNALS) process.on(sig, onSignal);
  try {
    try {
      await supervisor.up();
    } catch (error) {
      const interrupted = signalled || (error instanceof StackError && error.kind === 'shutting-down');
      if (!interrupted) err(`up failed: ${(error as Error).message}`);
      await supervisor.shutdown();
      await bounded(supervisor.closed, 3000);
      return interrupted ? 0 : 1;
    }
    onReady?.(await probeRows(supervisor.list()));
    await supervisor.closed;
    out('stack stopped');
    return 0;
  } finally {
    for (const sig of SIGNALS) process.off(sig, onSignal);
  }
}

/** Waits for `promise`, but no longer than `ms` (closing a server can wait on a slow client). */
async function bounded(promise: Promise<unknown>, ms: number): Promise<void> {
  await Promise.race([promise, sleep(ms)]);
}
