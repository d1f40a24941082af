export interface RecommendedProduct {
  id: string;
  name: string;
  category: string;
  priceCents: number;
  /** Higher is more relevant; popularity from orders, then catalog order. */
  score: number;
}

/** `GET /recommendations/:productId` */
export interface RecommendationList {
  productId: string;
  items: RecommendedProduct[];
}

/** `GET /trending`: what degraded callers fall back to. */
export interface TrendingList {
  items: RecommendedProduct[];
}

/** `POST /signals/orders` (best effort; idempotent on orderId). */
export interface OrderSignal {
  orderId: string;
  items: { productId: string; quantity: number }[];
}
