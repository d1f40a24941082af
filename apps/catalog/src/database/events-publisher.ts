import { TOPICS } from '@keel/contracts';
import { outboxPublisherProvider } from '@keel/messaging';
import { CatalogDatabase } from './catalog-database';

/** Publishes the catalog's outbox (stock and transfer events, product changes) to the region's Kafka. */
export const EventsPublisher = outboxPublisherProvider(CatalogDatabase, [TOPICS.stock.name, TOPICS.catalog.name]);
