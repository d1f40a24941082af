import { randomUUID } from 'node:crypto';
import { EVENT_VERSION, parseEvent, topicCarries, type EventData, type EventEnvelope, type EventRejection, type EventType, type KeelEvent } from '@keel/contracts';

export interface NewEventFields<T extends EventType> {
  /** Partition key: the id of the aggregate the event is about (the order id for order events). */
  key: string;
  /** The region where it happened (the service's KEEL_REGION). */
  origin: string;
  data: EventData<T>;
  /** Pass a deterministic id when the same fact may be produced twice (a retried step) so consumers see one event. */
  id?: string;
  occurredAt?: Date;
}

/** A new event of `type` at the current version. */
export function newEvent<T extends EventType>(type: T, fields: NewEventFields<T>): EventEnvelope<T> {
  return {
    id: fields.id ?? randomUUID(),
    type,
    version: EVENT_VERSION,
    occurredAt: (fields.occurredAt ?? new Date()).toISOString(),
    origin: fields.origin,
    key: fields.key,
    data: fields.data,
  };
}

/** An event that may not be sent: nothing was published or stored. */
export class InvalidEventError extends Error {
  constructor(
    readonly reason: EventRejection | 'wrong-topic',
    readonly detail: string,
  ) {
    super(`invalid event (${reason}): ${detail}`);
    this.name = 'InvalidEventError';
  }
}

/**
 * Checks `event` as a consumer will see it: through JSON (so a Date or an undefined field fails
 * here, not in every consumer) and against the topic it is meant for. Returns the JSON to send.
 */
export function encodeEvent(topic: string, event: KeelEvent | EventEnvelope): string {
  const json = JSON.stringify(event);
  const parsed = parseEvent(json === undefined ? undefined : JSON.parse(json));
  if (!parsed.ok) throw new InvalidEventError(parsed.reason, parsed.detail);
  if (!topicCarries(topic, parsed.event.type)) throw new InvalidEventError('wrong-topic', `${parsed.event.type} is not carried by ${topic}`);
  return json;
}
