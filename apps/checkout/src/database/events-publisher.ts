import { TOPICS } from '@keel/contracts';
import { outboxPublisherProvider } from '@keel/messaging';
import { CheckoutDatabase } from './checkout-database';

/** Publishes checkout's outbox (order, payment, shipping and notification events) to the region's Kafka. */
export const EventsPublisher = outboxPublisherProvider(CheckoutDatabase, [TOPICS.orders.name, TOPICS.payments.name, TOPICS.shipping.name, TOPICS.notifications.name]);
