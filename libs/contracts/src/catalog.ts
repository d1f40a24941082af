/** A product as catalog serves it. Money is in integer cents: no floating-point totals. */
export interface Product {
  id: string;
  name: string;
  description: string;
  category: string;
  priceCents: number;
  currency: 'USD';
  /** Units available in this region right now. */
  stock: number;
}

export interface ProductList {
  items: Product[];
  total: number;
}

export interface LineItem {
  productId: string;
  quantity: number;
}

/** `POST /reservations` on catalog: idempotent on `reservationId` (checkout uses the order id). */
export interface ReserveStockRequest {
  reservationId: string;
  items: LineItem[];
}

export interface Reservation {
  reservationId: string;
  items: LineItem[];
  status: 'reserved' | 'released';
}

/**
 * One product's stock in one region, as catalog's admin port reports it for the stock audit. A
 * region owns its units and sells only those (reservations draw on `available` alone), so two
 * regions can never sell the same unit; units move between regions only by transfer events.
 * Per region: `available + reserved = seeded + transferredIn - transferredOut`. Per product across
 * regions: Σ(available + reserved) + (Σ transferredOut - Σ transferredIn) = Σ seeded, the middle
 * term being the units in transit (left the sender, not yet added by the receiver).
 */
export interface StockLevel {
  productId: string;
  /** Units the region was allocated at its first start (the seed). */
  seeded: number;
  /** Units free to reserve now (`Product.stock`). */
  available: number;
  /** Units held by reservations not released (sold or in flight). */
  reserved: number;
  /** Units received from the other region (sum of its `stock.transferred` this region applied). */
  transferredIn: number;
  /** Units sent to the other region (taken from `available` when this region wrote `stock.transferred`). */
  transferredOut: number;
}

/** A reservation still holding stock (not released); its id is the order's id. */
export interface HeldReservation {
  reservationId: string;
  items: LineItem[];
  createdAt: string;
}

/** `GET /admin/stock` on catalog's admin port: levels and the reservations behind `reserved`, read together. */
export interface StockReport {
  /** The region whose own units these are. */
  region: string;
  items: StockLevel[];
  reservations: HeldReservation[];
}

