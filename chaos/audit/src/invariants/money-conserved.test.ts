import { describe, expect, it } from 'vitest';
import { charge, cleanBooks, order, refund, RULES } from '../testing/books';
import { checkMoneyConserved } from './money-conserved';

const rules = RULES;
const subjects = (books: ReturnType<typeof cleanBooks>) => checkMoneyConserved(books, rules).violations.map((v) => [v.subject, v.message]);

describe('money-conserved', () => {
  it('balances captures − refunds against confirmed orders', () => {
    const result = checkMoneyConserved(cleanBooks(), rules);
    expect(result.violations).toEqual([]);
    expect(result.figures).toEqual({ capturedCents: 6_000, refundedCents: 2_000, confirmedCents: 4_000, inFlightCents: 0 });
  });

  it('names a confirmed order that was never captured', () => {
    const books = cleanBooks();
    books.providers[0].charges.shift();
    expect(subjects(books)).toEqual([['ord_us-east_1', 'order ord_us-east_1 is confirmed ($10.00) but not captured']]);
  });

  it('names a failed order whose capture was not refunded', () => {
    const books = cleanBooks();
    books.providers[1].refunds = [];
    expect(subjects(books)).toEqual([['ord_us-east_2', 'order ord_us-east_2 is failed but $20.00 is captured for it']]);
  });

  it('names a confirmed order captured for another amount, and a partial refund counts', () => {
    const books = cleanBooks();
    books.providers[0].refunds.push(refund(books.providers[0].charges[1], 500));
    expect(subjects(books)).toEqual([['ord_eu-west_1', 'order ord_eu-west_1 is confirmed for $30.00 but $25.00 is captured for it']]);
  });

  it('names money captured for no order at all, but not a charge refunded in full', () => {
    const books = cleanBooks();
    const refunded = charge('stray-refunded', 700);
    books.providers[0].charges.push(charge('stray', 700), refunded);
    books.providers[0].refunds.push(refund(refunded));
    expect(subjects(books)).toEqual([['stray', '$7.00 is captured for stray, which is no order in either region']]);
  });

  it('leaves out an order in flight that is captured but not yet confirmed', () => {
    const books = cleanBooks();
    books.providers[1].charges.push(charge('ord_eu-west_2', 4_000));
    const result = checkMoneyConserved(books, rules);
    expect(result.violations).toEqual([]);
    expect(result.figures.inFlightCents).toBe(4_000);
  });

  it('names it once it is no longer in flight', () => {
    const books = cleanBooks();
    books.regions[1].orders[1] = order('ord_eu-west_2', 'pending', 4_000, 90_000);
    books.providers[1].charges.push(charge('ord_eu-west_2', 4_000));
    expect(subjects(books)).toEqual([['ord_eu-west_2', 'order ord_eu-west_2 is pending but $40.00 is captured for it']]);
  });
});
