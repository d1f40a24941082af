import { createRequire } from 'node:module';

/** The kafkajs internals the fix touches (src/network/requestQueue/index.js in 2.2.4). */
interface RequestQueue {
  throttledUntil: number;
  pending: unknown[];
  throttleCheckTimeoutId: ReturnType<typeof setTimeout> | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** The one release the fix was written against and checked on; any other is left alone. */
const FIXED_VERSION = '2.2.4';
/** kafkajs's own interval for re-checking a queue that has pending requests. */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;
const APPLIED = Symbol.for('keel.kafkajs-idle-fix');

/**
 * kafkajs 2.2.4 re-arms a timer on every broker connection after every check of its request
 * queue, even when nothing is pending and nothing is throttled; the delay is then negative, which
 * Node runs as 1 ms (the "TimeoutNegativeWarning" Node 24 prints; kafkajs issues #1704, #1751,
 * unfixed upstream). Measured here, one idle producer and consumer for 10 s: ~490 ms of CPU
 * (about 5% of a core, in every process that uses Kafka) and tens of thousands of timers; with
 * the fix, ~60 ms and a few dozen. This is the fix proposed in the upstream
 * thread: schedule a check only while requests are pending or a throttle will lift. Requests are
 * still sent as before: `push()` sends at once when it can, and each response checks the queue.
 * Returns whether the fix is in place.
 */
export function applyKafkajsIdleFix(): boolean {
  const load = createRequire(__filename);
  const version = (load('kafkajs/package.json') as { version: string }).version;
  if (version !== FIXED_VERSION) return false;
  const RequestQueueClass = load('kafkajs/src/network/requestQueue') as { prototype: RequestQueue & { [APPLIED]?: true } };
  const proto = RequestQueueClass.prototype;
  if (proto[APPLIED]) return true;
  proto.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: RequestQueue) {
    if (this.throttleCheckTimeoutId) return;
    const throttledFor = this.throttledUntil - Date.now();
    if (this.pending.length === 0 && throttledFor <= 0) return;
    this.throttleCheckTimeoutId = setTimeout(
      () => {
        this.throttleCheckTimeoutId = null;
        this.checkPendingRequests();
      },
      throttledFor > 0 ? throttledFor : CHECK_PENDING_REQUESTS_INTERVAL_MS,
    );
  };
  proto[APPLIED] = true;
  return true;
}
