import { context, propagation, ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import type { EventEnvelope } from '@keel/contracts';
import { currentDeadline, deadlineFromBaggage, withDeadline } from '@keel/resilience';

/**
 * Message headers, transport-neutral: plain string maps in, plain string maps out. Kafka is the
 * transport today; nothing here knows it.
 */

/** Copied from the envelope so brokers' tools, the DLQ and the replicator can route without parsing bodies. */
export const EVENT_HEADERS = {
  id: 'event-id',
  type: 'event-type',
  origin: 'origin-region',
} as const;

/**
 * Added by the cross-region replicator to its copy of a message: the region it was copied from.
 * The copy otherwise keeps the original's key, value and headers (`origin-region` included).
 */
export const REPLICATION_HEADERS = {
  replicatedFrom: 'keel-replicated-from',
} as const;

/** Added to a message when it is moved to a dead-letter topic. */
export const DLQ_HEADERS = {
  /** A slug: `handler-failed`, `malformed-json`, `unknown-event-type`, … (bounded: also a metric label). */
  reason: 'dlq-reason',
  /** The error message or validation detail, for the human reading the DLQ. */
  detail: 'dlq-detail',
  attempts: 'dlq-attempts',
  topic: 'dlq-original-topic',
  partition: 'dlq-original-partition',
  offset: 'dlq-original-offset',
  consumerGroup: 'dlq-consumer-group',
  at: 'dlq-at',
} as const;

/** Headers as a transport hands them over: Kafka's are bytes, may repeat, or be missing. */
export type RawHeaders = Readonly<Record<string, Buffer | string | readonly (Buffer | string)[] | undefined>>;

/**
 * The headers to send `event` with: its identity, and the OpenTelemetry context of `ctx`
 * (traceparent, tracestate, baggage) through the globally registered propagators. A deadline in
 * `ctx` is stamped again now, so the budget it carries is what is left at send time, not what
 * was left when the deadline entered the context.
 */
export function eventHeaders(event: Pick<EventEnvelope, 'id' | 'type' | 'origin'>, ctx: Context = context.active()): Record<string, string> {
  const carrier = contextHeaders(ctx);
  carrier[EVENT_HEADERS.id] = event.id;
  carrier[EVENT_HEADERS.type] = event.type;
  carrier[EVENT_HEADERS.origin] = event.origin;
  return carrier;
}

/** Just the OpenTelemetry context of `ctx` as headers (deadline restamped, see `eventHeaders`). */
export function contextHeaders(ctx: Context = context.active()): Record<string, string> {
  const deadline = currentDeadline(ctx);
  const carrier: Record<string, string> = {};
  propagation.inject(deadline ? withDeadline(ctx, deadline) : ctx, carrier);
  return carrier;
}

/**
 * The context a message was sent from: its span as the remote parent, its baggage, and its
 * deadline (if any) made current, so `currentDeadline()` and outgoing calls see it. Built on the
 * root context: whatever the consumer loop had active must not leak into a message's handling.
 */
export function contextFromHeaders(headers: Readonly<Record<string, string>>): Context {
  const ctx = propagation.extract(ROOT_CONTEXT, headers);
  const entries = Object.fromEntries((propagation.getBaggage(ctx)?.getAllEntries() ?? []).map(([key, entry]) => [key, entry.value]));
  const deadline = deadlineFromBaggage(entries);
  return deadline ? withDeadline(ctx, deadline) : ctx;
}

/**
 * Transport headers as a string map: bytes decoded as UTF-8, the first value of a repeated
 * header (W3C propagation reads one `traceparent`), missing ones dropped. Names are lower-cased,
 * as HTTP would give them, so propagators find `traceparent` whoever wrote it.
 */
export function headersToStrings(headers: RawHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first === undefined) continue;
    out[name.toLowerCase()] = typeof first === 'string' ? first : first.toString('utf8');
  }
  return out;
}
