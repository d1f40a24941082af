import type { LineItem, Product, Reservation, ReserveStockRequest } from '@keel/contracts';
import type { FixtureServer } from '@keel/testing';
import { startJsonServer } from './json-server';

/** The products the checkout tests use, exactly as the real catalog seeds them (ids, prices, stock). */
export const TEST_PRODUCTS: Product[] = [
  { id: 'p-001', name: 'Aurora Over-Ear Headphones', description: '', category: 'audio', priceCents: 18900, currency: 'USD', stock: 120 },
  { id: 'p-002', name: 'Pebble True Wireless Earbuds', description: '', category: 'audio', priceCents: 7900, currency: 'USD', stock: 200 },
  { id: 'p-032', name: 'Stand Mixer, 5 L', description: '', category: 'kitchen', priceCents: 34900, currency: 'USD', stock: 22 },
];

/**
 * A stand-in for catalog with its API's behaviour: products by id; reservations all-or-nothing,
 * idempotent on reservationId, 409 insufficient-stock listing shortages; release gives stock back
 * once, 404 for an unknown reservation.
 */
export async function startFixtureCatalog(products: Product[] = TEST_PRODUCTS): Promise<FixtureServer> {
  const stock = new Map(products.map((p) => [p.id, p.stock]));
  const reservations = new Map<string, Reservation>();
  const productOf = (id: string) => products.find((p) => p.id === id);

  const reserve = ({ reservationId, items }: ReserveStockRequest) => {
    const existing = reservations.get(reservationId);
    if (existing) return { status: 200, body: existing };
    const unknown = items.filter((i) => !stock.has(i.productId)).map((i) => i.productId);
    if (unknown.length > 0) return { status: 404, body: { type: '/problems/product-not-found', title: 'Product not found', status: 404, productIds: unknown } };
    const shortages = items.filter((i) => (stock.get(i.productId) ?? 0) < i.quantity).map((i) => ({ productId: i.productId, requested: i.quantity, available: stock.get(i.productId) }));
    if (shortages.length > 0) return { status: 409, body: { type: '/problems/insufficient-stock', title: 'Not enough stock', status: 409, shortages, instance: '/reservations' } };
    for (const item of items) stock.set(item.productId, (stock.get(item.productId) ?? 0) - item.quantity);
    const reservation: Reservation = { reservationId, items: items.map(({ productId, quantity }: LineItem) => ({ productId, quantity })), status: 'reserved' };
    reservations.set(reservationId, reservation);
    return { status: 201, body: reservation };
  };

  const release = (reservationId: string) => {
    const reservation = reservations.get(reservationId);
    if (!reservation) return { status: 404, body: { type: '/problems/reservation-not-found', title: 'Reservation not found', status: 404 } };
    if (reservation.status === 'reserved') {
      for (const item of reservation.items) stock.set(item.productId, (stock.get(item.productId) ?? 0) + item.quantity);
      reservation.status = 'released';
    }
    return { status: 200, body: reservation };
  };

  return startJsonServer(({ method, path, body }) => {
    const product = /^\/products\/([^/?]+)$/.exec(path);
    if (method === 'GET' && product) {
      const found = productOf(decodeURIComponent(product[1]));
      return found ? { status: 200, body: { ...found, stock: stock.get(found.id) } } : undefined;
    }
    if (method === 'POST' && path === '/reservations') return reserve(body as ReserveStockRequest);
    const releasing = /^\/reservations\/([^/?]+)\/release$/.exec(path);
    if (method === 'POST' && releasing) return release(decodeURIComponent(releasing[1]));
    const reading = /^\/reservations\/([^/?]+)$/.exec(path);
    if (method === 'GET' && reading) {
      const reservation = reservations.get(decodeURIComponent(reading[1]));
      return reservation && { status: 200, body: reservation };
    }
    return undefined;
  });
}
