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
