import type { Clock } from '../../types';

interface Scheduled {
  at: number;
  callback: () => void;
}

/**
 * A clock tests move by hand. Timers fire in time order during `advance`, and the event loop gets
 * a turn after each (so promise chains and real I/O they started can run), as they would have.
 */
export class ManualClock implements Clock {
  private time: number;
  private nextId = 1;
  private readonly timers = new Map<number, Scheduled>();

  constructor(start = 1_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Timers set and not yet fired or cleared. */
  get pending(): number {
    return this.timers.size;
  }

  /** Delays of the pending timers from now, soonest first. */
  get pendingDelays(): number[] {
    return [...this.timers.values()].map((timer) => timer.at - this.time).sort((a, b) => a - b);
  }

  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (let fired = 0; fired < 10_000; fired++) {
      let dueId: number | undefined;
      let due: Scheduled | undefined;
      for (const [id, timer] of this.timers) {
        if (timer.at <= end && (!due || timer.at < due.at)) [dueId, due] = [id, timer];
      }
      if (!due || dueId === undefined) break;
      this.timers.delete(dueId);
      this.time = due.at;
      due.callback();
      await settle();
    }
    this.time = end;
    await settle();
  }
}

/** Lets every queued promise reaction (and anything they queue in turn) run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
