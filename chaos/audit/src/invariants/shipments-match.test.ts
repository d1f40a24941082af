import { describe, expect, it } from 'vitest';
import { cleanBooks, order, RULES, shipment } from '../testing/books';
import { checkShipmentsMatch } from './shipments-match';

const messages = (books: ReturnType<typeof cleanBooks>) => checkShipmentsMatch(books, RULES).violations.map((v) => [v.subject, v.message]);

describe('shipments-match', () => {
  it('passes one live shipment per confirmed order and cancelled ones for failed orders', () => {
    const result = checkShipmentsMatch(cleanBooks(), RULES);
    expect(result.violations).toEqual([]);
    expect(result.figures).toEqual({ liveShipments: 2, cancelledShipments: 1 });
  });

  it('names a confirmed order with no live shipment, and one with two', () => {
    const books = cleanBooks();
    books.shipments = books.shipments.filter((s) => s.reference !== 'ord_us-east_1');
    books.shipments.push(shipment('ord_eu-west_1', 'scheduled', 'shp_twice'));
    expect(messages(books)).toEqual([
      ['ord_us-east_1', 'order ord_us-east_1 is confirmed but has no live shipment'],
      ['ord_eu-west_1', 'order ord_eu-west_1 has 2 live shipments: shp_ord_eu-west_1, shp_twice'],
    ]);
  });

  it('names a failed order whose shipment was never cancelled, and a shipment for no order', () => {
    const books = cleanBooks();
    books.shipments[1] = shipment('ord_us-east_2');
    books.shipments.push(shipment('ord_us-east_404'));
    expect(messages(books)).toEqual([
      ['ord_us-east_2', 'order ord_us-east_2 is failed but shipment shp_ord_us-east_2 is still scheduled'],
      ['ord_us-east_404', 'shipment shp_ord_us-east_404 is scheduled for ord_us-east_404, which is no order in either region'],
    ]);
  });

  it('leaves orders in flight alone: a pending order may hold a shipment not yet confirmed', () => {
    const books = cleanBooks();
    books.shipments.push(shipment('ord_eu-west_2'));
    expect(messages(books)).toEqual([]);
    books.regions[0].orders.push(order('ord_us-east_3', 'confirmed', 100));
    expect(messages(books)).toEqual([['ord_us-east_3', 'order ord_us-east_3 is confirmed but has no live shipment']]);
  });
});
