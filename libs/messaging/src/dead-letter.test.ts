import { describe, expect, it } from 'vitest';
import { deadLetterMessage } from './dead-letter';
import { DLQ_HEADERS } from './headers';

describe('deadLetterMessage', () => {
  const original = { topic: 'keel.orders', partition: 1, offset: '17', key: Buffer.from('k'), value: Buffer.from('{bad'), headers: { traceparent: Buffer.from('00-ab'), 'event-id': 'e1' } };

  it('keeps the original bytes and headers, and says where it came from and why', () => {
    const dead = deadLetterMessage(original, { reason: 'malformed-json', detail: 'Unexpected token', attempts: 0, consumerGroup: 'checkout' }, new Date('2026-01-01T00:00:00Z'));
    expect(dead.key).toBe(original.key);
    expect(dead.value).toBe(original.value);
    expect(dead.headers).toMatchObject({
      traceparent: original.headers.traceparent,
      'event-id': 'e1',
      [DLQ_HEADERS.reason]: 'malformed-json',
      [DLQ_HEADERS.detail]: 'Unexpected token',
      [DLQ_HEADERS.attempts]: '0',
      [DLQ_HEADERS.topic]: 'keel.orders',
      [DLQ_HEADERS.partition]: '1',
      [DLQ_HEADERS.offset]: '17',
      [DLQ_HEADERS.consumerGroup]: 'checkout',
      [DLQ_HEADERS.at]: '2026-01-01T00:00:00.000Z',
    });
  });

  it('bounds the detail so a huge error cannot bloat the dead-letter topic', () => {
    const dead = deadLetterMessage(original, { reason: 'handler-failed', detail: 'x'.repeat(10_000), attempts: 5, consumerGroup: 'g' });
    expect(String(dead.headers[DLQ_HEADERS.detail])).toHaveLength(1_000);
  });
});
