import { EVENT_HEADERS, REPLICATION_HEADERS } from '@keel/messaging';
import { describe, expect, it } from 'vitest';
import { mirrorVerdict, type SourceMessage } from './mirror-filter';

const envelope = (origin: string) => Buffer.from(JSON.stringify({ id: 'e1', type: 'order.cancelled', origin, key: 'k' }));
const message = (fields: Partial<SourceMessage>): SourceMessage => ({ key: Buffer.from('ord-1'), value: envelope('us-east'), timestamp: '1700000000000', ...fields });

describe('mirrorVerdict', () => {
  it("copies an event that originated in the source region, keeping key, value, timestamp and headers and saying where it came from", () => {
    const original = message({ headers: { [EVENT_HEADERS.origin]: Buffer.from('us-east'), traceparent: Buffer.from('00-abc-def-01'), baggage: 'keel.deadline=123', repeated: [Buffer.from('a'), Buffer.from('b')] } });
    const verdict = mirrorVerdict(original, 'us-east');
    expect(verdict.outcome).toBe('copied');
    if (verdict.outcome !== 'copied') return;
    expect(verdict.copy.key).toBe(original.key);
    expect(verdict.copy.value).toBe(original.value);
    expect(verdict.copy.timestamp).toBe('1700000000000');
    expect(verdict.copy.headers).toEqual({ ...original.headers, [REPLICATION_HEADERS.replicatedFrom]: 'us-east' });
    expect(original.headers).not.toHaveProperty(REPLICATION_HEADERS.replicatedFrom);
  });

  it('skips what originated anywhere else: a copy made earlier in the other direction must not come back', () => {
    const copyOfOurs = message({ headers: { [EVENT_HEADERS.origin]: 'eu-west', [REPLICATION_HEADERS.replicatedFrom]: 'eu-west' }, value: envelope('eu-west') });
    expect(mirrorVerdict(copyOfOurs, 'us-east')).toEqual({ outcome: 'skipped-own', origin: 'eu-west' });
    expect(mirrorVerdict(message({ headers: { [EVENT_HEADERS.origin]: 'ap-south' } }), 'us-east').outcome).toBe('skipped-own');
  });

  it('trusts the header over the body (the body is not parsed when the header is there)', () => {
    expect(mirrorVerdict(message({ headers: { [EVENT_HEADERS.origin]: 'us-east' }, value: Buffer.from('not json') }), 'us-east').outcome).toBe('copied');
    expect(mirrorVerdict(message({ headers: { [EVENT_HEADERS.origin]: 'eu-west' }, value: envelope('us-east') }), 'us-east').outcome).toBe('skipped-own');
  });

  it('falls back to the envelope origin when the header is missing', () => {
    expect(mirrorVerdict(message({ headers: {} }), 'us-east').outcome).toBe('copied');
    expect(mirrorVerdict(message({ headers: undefined, value: envelope('eu-west') }), 'us-east').outcome).toBe('skipped-own');
  });

  it('skips a message with no origin anywhere as malformed, saying why', () => {
    for (const value of [Buffer.from('not json'), Buffer.from('{"id":"x"}'), Buffer.from('null'), Buffer.from('{"origin":""}'), Buffer.alloc(0), null]) {
      const verdict = mirrorVerdict(message({ value }), 'us-east');
      expect(verdict.outcome, String(value)).toBe('skipped-malformed');
      if (verdict.outcome === 'skipped-malformed') expect(verdict.detail).toMatch(/no origin-region header/);
    }
  });
});
