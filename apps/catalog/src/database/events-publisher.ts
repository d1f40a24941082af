import { TOPICS } from '@keel/contracts';
import { outboxPublisherProvider } from '@keel/messaging';
import { CatalogDatabase } from './catalog-database';

/** Publishes the catalog's outbox (stock events) to the region's Kafka. */
export const EventsPublisher = outboxPublisherProvider(CatalogDatabase, [TOPICS.stock.name]);
