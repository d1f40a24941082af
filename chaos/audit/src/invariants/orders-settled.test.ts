import { describe, expect, it } from 'vitest';
import { cleanBooks, order, RULES } from '../testing/books';
import { checkOrdersSettled } from './orders-settled';

const rules = RULES;

describe('orders-settled', () => {
  it('counts terminal and in-flight orders without violations', () => {
    const result = checkOrdersSettled(cleanBooks(), rules);
    expect(result.violations).toEqual([]);
    expect(result.figures).toEqual({ confirmed: 2, failed: 1, inFlight: 1, paymentPending: 0, needsAttention: 0 });
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
    expect(checkOrdersSettled(books, { ...RULES, inFlightMs: 120_000 }).violations).toEqual([]);
  });

  it('names an order that needs attention, however young, with the runbook that finishes it', () => {
    const books = cleanBooks();
    books.regions[0].orders.push({ ...order('ord_us-east_9', 'needs-attention', 100, 1_000), failureReason: 'shipping-unavailable', attention: 'refund-payment: provider-a did not confirm the refund' });
    expect(checkOrdersSettled(books, rules).violations).toEqual([
      {
        invariant: 'orders-settled',
        subject: 'ord_us-east_9',
        message: 'order ord_us-east_9 (us-east) needs attention: refund-payment: provider-a did not confirm the refund (docs/runbooks/dead-letter-queue.md)',
      },
    ]);
  });

  it('gives payment-pending orders their own, longer window, and a compensating failed order the in-flight one', () => {
    const books = cleanBooks();
    books.regions[0].orders.push(order('ord_us-east_7', 'payment-pending', 100, 600_000));
    books.regions[0].orders.push({ ...order('ord_us-east_8', 'failed', 100, 30_000), nextStep: 'refund-payment' });
    const young = checkOrdersSettled(books, rules);
    expect(young.violations).toEqual([]);
    expect(young.figures).toMatchObject({ paymentPending: 1, inFlight: 2, failed: 1 });
    books.regions[0].orders.push(order('ord_us-east_6', 'payment-pending', 100, 901_000));
    books.regions[0].orders.push({ ...order('ord_us-east_5', 'failed', 100, 61_000), nextStep: 'release-stock' });
    expect(checkOrdersSettled(books, rules).violations.map((v) => v.message)).toEqual([
      'order ord_us-east_6 (us-east) is still payment-pending after 901 s',
      'order ord_us-east_5 (us-east) is still failed after 61 s, next step release-stock',
    ]);
  });
});
