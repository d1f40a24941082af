import { randomUUID } from 'node:crypto';
import { newOrderId, parseEvent } from '@keel/contracts';
import { describe, expect, it } from 'vitest';
import { encodeEvent, InvalidEventError, newEvent } from './event';

const orderId = newOrderId('us-east', randomUUID());

describe('newEvent', () => {
  it('makes an envelope every consumer accepts', () => {
    const event = newEvent('order.cancelled', { key: orderId, origin: 'us-east', data: { orderId, reason: 'declined' } });
    expect(event).toMatchObject({ type: 'order.cancelled', version: 1, key: orderId, origin: 'us-east' });
    expect(parseEvent(JSON.parse(encodeEvent('keel.orders', event))).ok).toBe(true);
  });

  it('keeps a deterministic id when given one', () => {
    const id = randomUUID();
    expect(newEvent('order.cancelled', { id, key: orderId, origin: 'us-east', data: { orderId, reason: 'x' } }).id).toBe(id);
  });
});

describe('encodeEvent', () => {
  it('refuses an invalid payload, naming the reason', () => {
    const event = newEvent('order.cancelled', { key: orderId, origin: 'us-east', data: { orderId, reason: '' } });
    expect(() => encodeEvent('keel.orders', event)).toThrow(InvalidEventError);
    try {
      encodeEvent('keel.orders', event);
    } catch (error) {
      expect((error as InvalidEventError).reason).toBe('invalid-data');
    }
  });

  it('refuses an event on a topic that does not carry it', () => {
    const event = newEvent('order.cancelled', { key: orderId, origin: 'us-east', data: { orderId, reason: 'x' } });
    expect(() => encodeEvent('keel.stock', event)).toThrow(/not carried by keel.stock/);
  });

  it('checks the event as JSON will carry it', () => {
    const event = newEvent('order.cancelled', { key: orderId, origin: 'us-east', data: { orderId, reason: 'x' } });
    const withDate = { ...event, occurredAt: new Date() as unknown as string };
    expect(encodeEvent('keel.orders', withDate)).toContain('"occurredAt"');
    const withoutKey = { ...event, key: undefined as unknown as string };
    expect(() => encodeEvent('keel.orders', withoutKey)).toThrow(/invalid-envelope/);
  });
});
