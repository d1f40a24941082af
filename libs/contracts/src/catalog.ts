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

/** One product's stock in one region, as catalog's admin port reports it for the stock audit. */
export interface StockLevel {
  productId: string;
  /** Units the region started with (the seed). */
  seeded: number;
  /** Units free to reserve now (`Product.stock`). */
  available: number;
  /** Units held by reservations not released (sold or in flight). */
  reserved: number;
}

/** A reservation still holding stock (not released); its id is the order's id. */
export interface HeldReservation {
  reservationId: string;
  items: LineItem[];
  createdAt: string;
}

/** `GET /admin/stock` on catalog's admin port: levels and the reservations behind `reserved`, read together. */
export interface StockReport {
  items: StockLevel[];
  reservations: HeldReservation[];
}
