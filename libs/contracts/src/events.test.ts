import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EVENT_DATA, EVENT_TYPES, parseEvent } from './events';
import { newOrderId } from './orders';
import { deadLetterTopic, topicCarries, topicOf, TOPICS } from './topics';

const orderId = newOrderId('us-east', randomUUID());

/** A raw envelope as it could arrive off the wire: anything may be wrong with it. */
function envelope(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: randomUUID(),
    type: 'order.cancelled',
    version: 1,
    occurredAt: new Date().toISOString(),
    origin: 'us-east',
    key: orderId,
    data: { orderId, reason: 'payment declined' },
    ...overrides,
  };
}

describe('parseEvent', () => {
  it('accepts a valid event and narrows its payload by type', () => {
    const result = parseEvent(envelope());
    expect(result.ok).toBe(true);
    if (result.ok && result.event.type === 'order.cancelled') expect(result.event.data.reason).toBe('payment declined');
  });

  it('accepts a payment capture in integer cents', () => {
    const data = { orderId, provider: 'provider-a', chargeId: 'ch_1', idempotencyKey: `${orderId}:charge`, amountCents: 1299, currency: 'USD' };
    expect(parseEvent(envelope({ type: 'payment.captured', data })).ok).toBe(true);
    expect(parseEvent(envelope({ type: 'payment.captured', data: { ...data, amountCents: 12.99 } }))).toMatchObject({ ok: false, reason: 'invalid-data' });
  });

  it.each([
    ['no id', { id: undefined }],
    ['an id that is not a uuid', { id: 'evt-1' }],
    ['a date that is not ISO 8601', { occurredAt: 'yesterday' }],
    ['no partition key', { key: '' }],
  ])('refuses an envelope with %s', (_, overrides) => {
    expect(parseEvent(envelope(overrides))).toMatchObject({ ok: false, reason: 'invalid-envelope' });
  });

  it('refuses something that is not an object at all', () => {
    expect(parseEvent('order.created')).toMatchObject({ ok: false, reason: 'invalid-envelope' });
    expect(parseEvent(null)).toMatchObject({ ok: false, reason: 'invalid-envelope' });
  });

  it('names an unknown type, including names inherited from Object.prototype', () => {
    expect(parseEvent(envelope({ type: 'order.teleported' }))).toMatchObject({ ok: false, reason: 'unknown-event-type' });
    expect(parseEvent(envelope({ type: 'constructor' }))).toMatchObject({ ok: false, reason: 'unknown-event-type' });
  });

  it('refuses a version this build does not read rather than guess', () => {
    expect(parseEvent(envelope({ version: 2 }))).toMatchObject({ ok: false, reason: 'unsupported-version' });
  });

  it('says which field of the payload is wrong', () => {
    const result = parseEvent(envelope({ data: { orderId: 'not-an-order' } }));
    expect(result).toMatchObject({ ok: false, reason: 'invalid-data' });
    if (!result.ok) expect(result.detail).toMatch(/orderId[\s\S]*reason|reason[\s\S]*orderId/);
  });
});

describe('topics', () => {
  it('carry every event type exactly once', () => {
    const carried = Object.values(TOPICS).flatMap((topic) => [...topic.events]);
    expect([...carried].sort()).toEqual([...EVENT_TYPES].sort());
    expect(Object.keys(EVENT_DATA)).toHaveLength(16);
  });

  it('route each event type to its aggregate topic', () => {
    expect(topicOf('stock.reserved')).toBe('keel.stock');
    expect(topicOf('order.payment-pending')).toBe('keel.orders');
    expect(topicOf('stock.transferred')).toBe('keel.stock');
    expect(topicOf('product.updated')).toBe('keel.catalog');
    expect(topicCarries('keel.orders', 'stock.reserved')).toBe(false);
    expect(topicCarries('keel.orders', 'order.created')).toBe(true);
    expect(topicCarries('test.anything', 'order.created')).toBe(true);
    expect(deadLetterTopic('keel.orders')).toBe('keel.orders.dlq');
  });
});
