import { describe, expect, it } from 'vitest';
import { cleanBooks, order } from '../testing/books';
import { checkOrdersSettled } from './orders-settled';

const rules = { inFlightMs: 60_000 };

describe('orders-settled', () => {
  it('counts terminal and in-flight orders without violations', () => {
    const result = checkOrdersSettled(cleanBooks(), rules);
    expect(result.violations).toEqual([]);
    expect(result.figures).toEqual({ confirmed: 2, failed: 1, inFlight: 1 });
  });

  it('names a pending order older than the threshold, with its age and next step', () => {
    const books = cleanBooks();
    books.regions[1].orders.push(order('ord_eu-west_9', 'pending', 100, 61_000));
    const { violations } = checkOrdersSettled(books, rules);
    expect(violations).toEqual([
      { invariant: 'orders-settled', subject: 'ord_eu-west_9', message: 'order ord_eu-west_9 (eu-west) is still pending after 61 s, next step charge-payment' },
    ]);
  });

  it('moves the line with --in-flight-ms', () => {
    const books = cleanBooks();
    books.regions[1].orders.push(order('ord_eu-west_9', 'pending', 100, 61_000));
    expect(checkOrdersSettled(books, { inFlightMs: 120_000 }).violations).toEqual([]);
  });

  it('never counts a non-terminal status other than pending as in flight, however young', () => {
    const books = cleanBooks();
    books.regions[0].orders.push(order('ord_us-east_9', 'needs-attention', 100, 1_000));
    expect(checkOrdersSettled(books, rules).violations.map((v) => v.subject)).toEqual(['ord_us-east_9']);
  });
});
