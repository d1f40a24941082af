import { describe, expect, it } from 'vitest';
import { cleanBooks, held, order } from '../testing/books';
import { checkStockConserved } from './stock-conserved';

describe('stock-conserved', () => {
  it('passes when reserved + available = seeded in every region and every held unit is an order’s', () => {
    const result = checkStockConserved(cleanBooks());
    expect(result.violations).toEqual([]);
    expect(result).toMatchObject({ checked: 7, figures: { seeded: 30, available: 27, reserved: 3, reservations: 3 } });
  });

  it('names a unit lost in one region and a unit created in the other', () => {
    const books = cleanBooks();
    books.regions[0].stock[0].available = 8;
    books.regions[1].stock[1].reserved = 1;
    expect(checkStockConserved(books).violations).toEqual([
      { invariant: 'stock-conserved', subject: 'us-east/p-001', message: 'us-east p-001: 1 reserved + 8 available = 9, seeded 10 (-1)' },
      { invariant: 'stock-conserved', subject: 'eu-west/p-002', message: 'eu-west p-002: 1 reserved + 5 available = 6, seeded 5 (+1)' },
    ]);
  });

  it('names stock still held for a failed order, and for no order at all', () => {
    const books = cleanBooks();
    const failed = { ...order('ord_us-east_2', 'failed', 2_000), failureReason: 'payment-declined' };
    books.regions[0].orders[1] = failed;
    books.regions[0].reservations.push(held('ord_us-east_2', 2, 'p-002'), held('ord_us-east_gone', 1, 'p-002'));
    books.regions[0].stock[1] = { productId: 'p-002', seeded: 5, available: 2, reserved: 3 };
    expect(checkStockConserved(books).violations.map((v) => [v.subject, v.message])).toEqual([
      ['ord_us-east_2', 'order ord_us-east_2 failed (payment-declined) but us-east still holds 2 × p-002 for it'],
      ['ord_us-east_gone', 'us-east holds 1 × p-002 for ord_us-east_gone, which is no order in us-east'],
    ]);
  });

  it('lets a failed order hold stock while its release is still to run', () => {
    const books = cleanBooks();
    books.regions[0].orders[1] = { ...order('ord_us-east_2', 'failed', 2_000), nextStep: 'release-stock' };
    books.regions[0].reservations.push(held('ord_us-east_2', 2, 'p-002'));
    books.regions[0].stock[1] = { productId: 'p-002', seeded: 5, available: 3, reserved: 2 };
    expect(checkStockConserved(books).violations).toEqual([]);
  });

  it('names a confirmed order whose units were given back', () => {
    const books = cleanBooks();
    books.regions[1].reservations.shift();
    books.regions[1].stock[0] = { productId: 'p-001', seeded: 10, available: 9, reserved: 1 };
    expect(checkStockConserved(books).violations.map((v) => v.message)).toEqual(['order ord_eu-west_1 is confirmed but eu-west holds no stock for it']);
  });
});
