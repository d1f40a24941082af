import { EventEmitter } from 'cockatiel';
import type { CallOptions, Clock } from '../types';
import type { BulkheadOptions } from './defaults';
import { DeadlineExceededError } from '../deadline/deadline';
import { BulkheadRejectedError, type BulkheadRejection } from './errors';
import { NEVER_ABORTED, type Operation } from './operation';

export interface BulkheadRejectedEvent {
  dependency: string;
  reason: BulkheadRejection | 'deadline';
}

interface Waiter {
  admit(): void;
}

/**
 * At most `maxConcurrent` calls to the dependency at once, `maxQueued` more waiting (first come,
 * first served) for up to `queueTimeoutMs` or until their deadline, whichever is sooner. Beyond
 * that a call fails at once: a slow dependency then costs its callers a fast error, not their
 * threads, sockets and deadlines.
 *
 * Unlike cockatiel's bulkhead, a waiter whose caller aborts leaves the queue at that moment and
 * its place is free for the next caller; cockatiel keeps it queued until a slot frees.
 */
export class Bulkhead {
  private readonly emitter = new EventEmitter<BulkheadRejectedEvent>();
  readonly onRejected = this.emitter.addListener;
  private active = 0;
  /** Insertion-ordered, and a waiter can leave from anywhere in O(1). */
  private readonly queue = new Set<Waiter>();

  constructor(
    readonly dependency: string,
    private readonly options: BulkheadOptions,
    private readonly clock: Clock,
  ) {}

  get inUse(): number {
    return this.active;
  }

  get queued(): number {
    return this.queue.size;
  }

  /** A call made now would be refused at once: every slot taken and the queue full. */
  get full(): boolean {
    return this.active >= this.options.maxConcurrent && this.queue.size >= this.options.maxQueued;
  }

  async execute<T>(op: Operation<T>, call: CallOptions): Promise<T> {
    if (this.active < this.options.maxConcurrent) this.active++;
    else await this.waitForSlot(call);
    try {
      return await op(call.signal ?? NEVER_ABORTED);
    } finally {
      this.release();
    }
  }

  /** Hands the slot straight to the longest waiter, so a new arrival cannot jump the queue. */
  private release(): void {
    const next = this.queue.values().next();
    if (next.done) this.active--;
    else next.value.admit();
  }

  private waitForSlot(call: CallOptions): Promise<void> {
    if (call.signal?.aborted) return Promise.reject(call.signal.reason);
    if (this.queue.size >= this.options.maxQueued) return Promise.reject(this.reject('full'));
    const remaining = call.deadline?.remainingMs() ?? Infinity;
    if (remaining <= 0) return Promise.reject(this.reject('deadline'));
    const deadlineFirst = remaining < this.options.queueTimeoutMs;
    return new Promise<void>((resolve, reject) => {
      const signal = call.signal;
      const leave = (): void => {
        this.queue.delete(waiter);
        this.clock.clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        leave();
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        admit: () => {
          leave();
          resolve();
        },
      };
      const timer = this.clock.setTimeout(
        () => {
          leave();
          reject(this.reject(deadlineFirst ? 'deadline' : 'queue-timeout'));
        },
        deadlineFirst ? remaining : this.options.queueTimeoutMs,
      );
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.add(waiter);
    });
  }

  private reject(reason: BulkheadRejection | 'deadline'): Error {
    this.emitter.emit({ dependency: this.dependency, reason });
    return reason === 'deadline' ? new DeadlineExceededError(`calling ${this.dependency}`) : new BulkheadRejectedError(this.dependency, reason);
  }
}
