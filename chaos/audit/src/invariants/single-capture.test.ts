import { describe, expect, it } from 'vitest';
import { charge, cleanBooks } from '../testing/books';
import { checkSingleCapture } from './single-capture';

describe('single-capture', () => {
  it('passes one capture per key and per order', () => {
    const result = checkSingleCapture(cleanBooks());
    expect(result.violations).toEqual([]);
    expect(result.figures).toEqual({ charges: 3, keys: 3 });
  });

  it('names a key captured at both providers', () => {
    const books = cleanBooks();
    const twice = charge('ord_us-east_1', 1_000);
    books.providers[1].charges.push(twice);
    const { violations } = checkSingleCapture(books);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ invariant: 'single-capture', subject: 'charge-ord_us-east_1' });
    expect(violations[0].message).toMatch(/^idempotency key charge-ord_us-east_1 captured 2 times: provider-a ch_\d+ .*, provider-b ch_\d+/);
  });

  it('names an order captured twice under different keys, even when one was refunded', () => {
    const books = cleanBooks();
    books.providers[0].charges.push(charge('ord_eu-west_1', 3_000, 'manual-retry', 3_000));
    const { violations } = checkSingleCapture(books);
    expect(violations.map((v) => v.subject)).toEqual(['ord_eu-west_1']);
    expect(violations[0].message).toContain('ord_eu-west_1 captured 2 times');
  });
});
