import { describe, expect, it } from 'vitest';
import { DependencyError } from '@keel/service-kit';
import { classifyChargeAnswer, classifyChargeError } from './charge-attempt';

const answer = (status: number, body: unknown = {}) => classifyChargeAnswer({ status, headers: {}, body });

describe('classifying a charge attempt', () => {
  it('treats 503 and 429 as "not captured, try the other provider"', () => {
    expect(answer(503).kind).toBe('unavailable');
    expect(answer(429).kind).toBe('unavailable');
  });

  it('treats other 5xx as "may have captured"', () => {
    expect(answer(500).kind).toBe('unknown');
    expect(answer(502).kind).toBe('unknown');
    expect(answer(504).kind).toBe('unknown');
  });

  it('tells captures, declines and client errors apart', () => {
    expect(answer(201, { id: 'ch_1' })).toEqual({ kind: 'captured', charge: { id: 'ch_1' } });
    expect(answer(200, { id: 'ch_1' }).kind).toBe('captured');
    expect(answer(402, { type: '/problems/payment-declined', title: 'Declined', status: 402 }).kind).toBe('declined');
    expect(answer(422, { type: '/problems/idempotency-key-reused', title: 'Reused', status: 422 })).toMatchObject({ kind: 'rejected', problem: { status: 422 } });
  });

  it('fails over only when the connection was never made', () => {
    const refused = new DependencyError('provider-a', 'unreachable', undefined, undefined, { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    expect(classifyChargeError(refused).kind).toBe('unavailable');
    const reset = new DependencyError('provider-a', 'unreachable', undefined, undefined, { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    expect(classifyChargeError(reset).kind).toBe('unknown');
    const timedOut = new DependencyError('provider-a', 'did not answer in time', 504, undefined, { cause: new Error('aborted') });
    expect(classifyChargeError(timedOut).kind).toBe('unknown');
  });
});
