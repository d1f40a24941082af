import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { parseEvent, topicCarries, type EventEnvelope, type EventType, type KeelEvent } from '@keel/contracts';
import type { ConsumedMessage, DeadLetter, DeadLetterReason } from './dead-letter';
import { contextFromHeaders, headersToStrings } from './headers';
import type { ProcessedEvents } from './processed-events';

export interface HandlerContext {
  topic: string;
  partition: number;
  offset: string;
  /** 1 on the first delivery to the handler, up to `maxAttempts`. */
  attempt: number;
  headers: Readonly<Record<string, string>>;
  /**
   * Records the event as processed in the dedupe store, now. When the store is the handler's own
   * SQLite database, call it INSIDE the transaction that makes the handler's writes: the record
   * then commits or rolls back with them, and the effect happens once however often the event is
   * delivered. False: an earlier delivery already did the work; make no writes. Handlers that
   * don't call it are marked after they return (at least once: a crash in between repeats them).
   */
  markProcessed(): boolean;
}

export type EventHandler<T extends EventType = EventType> = (event: EventEnvelope<T>, ctx: HandlerContext) => void | Promise<void>;
/** Handlers by event type; a known type with no handler is acknowledged and skipped. */
export type EventHandlers = { [T in EventType]?: EventHandler<T> };

/** Throw from a handler when retrying cannot help (the event contradicts local state): straight to the DLQ. */
export class UnprocessableEventError extends Error {
  override name = 'UnprocessableEventError';
}

export interface RetryBackoff {
  /** Wait after the first failure; doubles after each further one. */
  initialMs: number;
  maxMs: number;
}

export interface MessageProcessorOptions {
  consumerGroup: string;
  handlers: EventHandlers;
  dedupe: ProcessedEvents;
  maxAttempts: number;
  backoff: RetryBackoff;
  /** Puts the message on the dead-letter topic; throws if it could not (the offset is then not committed). */
  deadLetter(message: ConsumedMessage, letter: DeadLetter): Promise<void>;
  /** Waits between attempts; rejects when the consumer is stopping, leaving the message uncommitted. */
  sleep(ms: number): Promise<void>;
}

export type MessageOutcome = 'handled' | 'duplicate' | 'ignored' | 'dead-lettered';

const tracer = trace.getTracer('keel-messaging');

/** Exponential backoff before attempt `attempt + 1`. */
export function backoffMs(attempt: number, backoff: RetryBackoff): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** (attempt - 1));
}

/**
 * Everything that happens to one consumed message, with no Kafka in it: decode and validate (a
 * message that is not a usable event goes to the DLQ at once: retrying cannot fix bytes), skip
 * what this consumer already handled, run the handler inside the sender's trace and deadline,
 * retry it with backoff, and dead-letter it when attempts run out. Resolves once the message may
 * be committed; rejects only when it must not be (the DLQ write failed, or the consumer is stopping).
 */
export async function processMessage(message: ConsumedMessage, options: MessageProcessorOptions, heartbeat: () => Promise<void>): Promise<MessageOutcome> {
  const decoded = decode(message);
  if (!decoded.ok) return deadLetter(message, options, { reason: decoded.reason, detail: decoded.detail, attempts: 0 });
  const { event } = decoded;
  const handler = options.handlers[event.type] as EventHandler | undefined;
  if (!handler) return 'ignored';
  if (options.dedupe.has(options.consumerGroup, event.id)) return 'duplicate';

  const headers = headersToStrings(message.headers);
  const parent = contextFromHeaders(headers);
  const span = tracer.startSpan(
    `process ${message.topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.destination.name': message.topic,
        'messaging.consumer.group.name': options.consumerGroup,
        'messaging.message.id': event.id,
        'messaging.destination.partition.id': String(message.partition),
        'messaging.kafka.offset': Number(message.offset),
        'keel.event.type': event.type,
      },
    },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), () => runWithRetries(message, event, handler, headers, options, heartbeat, span));
  } finally {
    span.end();
  }
}

async function runWithRetries(
  message: ConsumedMessage,
  event: KeelEvent,
  handler: EventHandler,
  headers: Record<string, string>,
  options: MessageProcessorOptions,
  heartbeat: () => Promise<void>,
  span: Span,
): Promise<MessageOutcome> {
  const { consumerGroup, dedupe, maxAttempts } = options;
  let lastError: unknown;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    let alreadyDone = false;
    const markProcessed = () => {
      const first = dedupe.mark(consumerGroup, event.id);
      alreadyDone ||= !first;
      return first;
    };
    try {
      await handler(event, { topic: message.topic, partition: message.partition, offset: message.offset, attempt, headers, markProcessed });
      dedupe.mark(consumerGroup, event.id);
      return alreadyDone ? 'duplicate' : 'handled';
    } catch (error) {
      lastError = error;
      span.recordException(error as Error);
      if (error instanceof UnprocessableEventError) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'rejected by handler' });
        return deadLetter(message, options, { reason: 'handler-rejected', detail: describe(error), attempts: attempt });
      }
      if (attempt < maxAttempts) {
        await heartbeat();
        await options.sleep(backoffMs(attempt, options.backoff));
      }
    }
  }
  span.setStatus({ code: SpanStatusCode.ERROR, message: `failed ${maxAttempts} attempts` });
  return deadLetter(message, options, { reason: 'handler-failed', detail: describe(lastError), attempts: maxAttempts });
}

type Decoded = { ok: true; event: KeelEvent } | { ok: false; reason: DeadLetterReason; detail: string };

function decode(message: ConsumedMessage): Decoded {
  if (message.value === null || message.value.length === 0) return { ok: false, reason: 'empty-message', detail: 'the message has no value' };
  let body: unknown;
  try {
    body = JSON.parse(message.value.toString());
  } catch (error) {
    return { ok: false, reason: 'malformed-json', detail: describe(error) };
  }
  const parsed = parseEvent(body);
  if (!parsed.ok) return parsed;
  if (!topicCarries(message.topic, parsed.event.type)) return { ok: false, reason: 'wrong-topic', detail: `${parsed.event.type} is not carried by ${message.topic}` };
  return parsed;
}

async function deadLetter(message: ConsumedMessage, options: MessageProcessorOptions, letter: Omit<DeadLetter, 'consumerGroup'>): Promise<'dead-lettered'> {
  await options.deadLetter(message, { ...letter, consumerGroup: options.consumerGroup });
  return 'dead-lettered';
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
