import type { EventEnvelope, EventType } from './events';

/**
 * The Kafka topics keel uses and the event types each carries. One topic per aggregate, keyed by
 * the aggregate's id (the order id), so every event about one order lands on one partition in the
 * order it was produced. A failed message goes to `<topic>.dlq` (see `deadLetterTopic`).
 */
export const TOPICS = {
  orders: { name: 'keel.orders', events: ['order.created', 'order.confirmed', 'order.cancelled', 'order.payment-pending', 'order.needs-attention'] },
  /** Reservation events are keyed by order id, transfer events by product id. */
  stock: { name: 'keel.stock', events: ['stock.reserved', 'stock.released', 'stock.transfer-requested', 'stock.transferred', 'stock.transfer-declined'] },
  /** Product changes, keyed by product id; replicated to the other region, which applies them. */
  catalog: { name: 'keel.catalog', events: ['product.updated'] },
  payments: { name: 'keel.payments', events: ['payment.captured', 'payment.refunded'] },
  shipping: { name: 'keel.shipping', events: ['shipment.scheduled', 'shipment.cancelled'] },
  notifications: { name: 'keel.notifications', events: ['notification.requested'] },
} as const satisfies Record<string, { name: string; events: readonly EventType[] }>;

type Topic = (typeof TOPICS)[keyof typeof TOPICS];
export type TopicName = Topic['name'];
/** The event types `N` carries: `EventEnvelope<EventsOn<'keel.stock'>>` is a stock event. */
export type EventsOn<N extends TopicName> = Extract<Topic, { name: N }>['events'][number];
/** An event that may be published on topic `N`, discriminated on `type`. */
export type EventOn<N extends TopicName> = { [T in EventsOn<N>]: EventEnvelope<T> }[EventsOn<N>];

const TOPIC_OF = new Map<string, TopicName>(Object.values(TOPICS).flatMap((topic) => topic.events.map((type) => [type, topic.name] as const)));
const CARRIED = new Map<string, ReadonlySet<string>>(Object.values(TOPICS).map((topic) => [topic.name, new Set<string>(topic.events)]));

/** The topic an event type is published on. */
export function topicOf(type: EventType): TopicName {
  const topic = TOPIC_OF.get(type);
  if (!topic) throw new Error(`no topic carries ${type}`);
  return topic;
}

export function isTopicName(name: string): name is TopicName {
  return CARRIED.has(name);
}

/** Whether `topic` may carry `type`; a topic keel does not know (a mirror, a test topic) carries any. */
export function topicCarries(topic: string, type: string): boolean {
  return CARRIED.get(topic)?.has(type) ?? true;
}

/** Where messages that could not be processed from `topic` are kept for a human. */
export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}
