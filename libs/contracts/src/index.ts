export type { LineItem, Product, ProductList, Reservation, ReserveStockRequest } from './catalog';
export { IDEMPOTENCY_KEY_HEADER, newOrderId, regionOfOrder, type CheckoutRequest, type Order, type OrderLine, type OrderStatus } from './orders';
export type { Charge, ChargeList, ChargeRequest, ChargeStatus, ProviderFaults, ProviderLedger, Refund, RefundRequest } from './payments';
export type { OrderSignal, RecommendationList, RecommendedProduct, TrendingList } from './recommendations';
