export type { HeldReservation, LineItem, Product, ProductList, Reservation, ReserveStockRequest, StockLevel, StockReport } from './catalog';
export { FINAL_ORDER_STATUSES, IDEMPOTENCY_KEY_HEADER, newOrderId, regionOfOrder, type CheckoutRequest, type Order, type OrderLine, type OrderStatus } from './orders';
export type { Charge, ChargeList, ChargeRequest, ChargeStatus, FaultSettingsBody, ProviderFaults, ProviderLedger, Refund, RefundRequest } from './payments';
export type { CarrierLedger, Shipment, ShipmentItem, ShipmentList, ShipmentRequest, ShipmentStatus } from './shipping';
export type { OrderSignal, RecommendationList, RecommendedProduct, TrendingList } from './recommendations';
export {
  EVENT_DATA,
  EVENT_TYPES,
  EVENT_VERSION,
  eventEnvelopeSchema,
  isEventType,
  parseEvent,
  type EventData,
  type EventEnvelope,
  type EventParseResult,
  type EventRejection,
  type EventType,
  type KeelEvent,
} from './events';
export { deadLetterTopic, isTopicName, topicCarries, topicOf, TOPICS, type EventOn, type EventsOn, type TopicName } from './topics';
export { ListProductsQuery } from './catalog.queries';
export { SHED_TIER_HEADER } from './http-headers';
export { isListeningReport, LISTENING_REPORT, type ListeningReport } from './listening';
