import { describe, expect, it } from 'vitest';
import { cleanBooks, held, level, order } from '../testing/books';
import { checkStockConserved } from './stock-conserved';

describe('stock-conserved', () => {
  it('passes when reserved + available = seeded in every region and every held unit is an order’s', () => {
    const result = checkStockConserved(cleanBooks());
    expect(result.violations).toEqual([]);
    expect(result).toMatchObject({ checked: 7, figures: { seeded: 30, available: 27, reserved: 3, inTransit: 0, reservations: 3 } });
  });

  it('names a unit lost in one region and a unit created in the other', () => {
    const books = cleanBooks();
    books.regions[0].stock[0].available = 8;
    books.regions[1].stock[1].reserved = 1;
    expect(checkStockConserved(books).violations).toEqual([
      { invariant: 'stock-conserved', subject: 'us-east/p-001', message: 'us-east p-001: 1 reserved + 8 available = 9, owns 10 seeded = 10 (-1)' },
      { invariant: 'stock-conserved', subject: 'eu-west/p-002', message: 'eu-west p-002: 1 reserved + 5 available = 6, owns 5 seeded = 5 (+1)' },
    ]);
  });

  it('names stock still held for a failed order, and for no order at all', () => {
    const books = cleanBooks();
    const failed = { ...order('ord_us-east_2', 'failed', 2_000), failureReason: 'payment-declined' };
    books.regions[0].orders[1] = failed;
    books.regions[0].reservations.push(held('ord_us-east_2', 2, 'p-002'), held('ord_us-east_gone', 1, 'p-002'));
    books.regions[0].stock[1] = level('p-002', 5, 2, 3);
    expect(checkStockConserved(books).violations.map((v) => [v.subject, v.message])).toEqual([
      ['ord_us-east_2', 'order ord_us-east_2 failed (payment-declined) but us-east still holds 2 × p-002 for it'],
      ['ord_us-east_gone', 'us-east holds 1 × p-002 for ord_us-east_gone, which is no order in us-east'],
    ]);
  });

  it('lets a failed order hold stock while its release is still to run', () => {
    const books = cleanBooks();
    books.regions[0].orders[1] = { ...order('ord_us-east_2', 'failed', 2_000), nextStep: 'release-stock' };
    books.regions[0].reservations.push(held('ord_us-east_2', 2, 'p-002'));
    books.regions[0].stock[1] = level('p-002', 5, 3, 2);
    expect(checkStockConserved(books).violations).toEqual([]);
  });

  it('names a confirmed order whose units were given back', () => {
    const books = cleanBooks();
    books.regions[1].reservations.shift();
    books.regions[1].stock[0] = level('p-001', 10, 9, 1);
    expect(checkStockConserved(books).violations.map((v) => v.message)).toEqual(['order ord_eu-west_1 is confirmed but eu-west holds no stock for it']);
  });

  it('follows units between regions: sent units count as in transit until received, and none may arrive unsent', () => {
    const books = cleanBooks();
    // eu-west sent 4 × p-002 to us-east; us-east has received 3 of them so far (one transfer still in flight).
    books.regions[1].stock[1] = level('p-002', 5, 1, 0, 0, 4);
    books.regions[0].stock[1] = level('p-002', 5, 8, 0, 3, 0);
    const moving = checkStockConserved(books);
    expect(moving.violations).toEqual([]);
    expect(moving.figures.inTransit).toBe(1);
    // us-east claims a fifth unit nobody sent: its own books still balance, the cross-region check does not.
    books.regions[0].stock[1] = level('p-002', 5, 10, 0, 5, 0);
    expect(checkStockConserved(books).violations.map((v) => v.message)).toEqual(['p-002: 1 unit(s) were received by a region but never sent by the other']);
  });

  it('does not mistake a transfer that completed between two reads for units made from nothing', () => {
    const books = cleanBooks();
    // eu-west was read before it sent 4 × p-002; us-east, read after, had already received them.
    books.regions[1].stock[1] = level('p-002', 5, 5, 0, 0, 0);
    books.regions[0].stock[1] = level('p-002', 5, 9, 0, 4, 0);
    expect(checkStockConserved(books).violations.map((v) => v.message)).toEqual(['p-002: 4 unit(s) were received by a region but never sent by the other']);
    // The later read of what eu-west sent closes the gap.
    books.regions[1].sentLater = { 'p-002': 4 };
    expect(checkStockConserved(books).violations).toEqual([]);
  });
});
