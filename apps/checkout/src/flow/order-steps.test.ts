import { describe, expect, it } from 'vitest';
import type { Charge } from '@keel/contracts';
import type { CatalogClient, ReserveOutcome } from '../dependencies/catalog.client';
import type { ChargeAttempt } from '../dependencies/charge-attempt';
import type { PaymentProviders } from '../dependencies/payment-providers';
import type { OrderRecord } from '../orders/order-record';
import { PaymentSteps } from './payment-steps';
import { compensationsFor } from './step-outcome';
import { StockSteps } from './stock-steps';

const order = (changes: Partial<OrderRecord> = {}): OrderRecord => ({
  id: 'ord_test_00000000-0000-4000-8000-000000000000',
  region: 'test',
  status: 'pending',
  items: [{ productId: 'p-1', quantity: 1, unitPriceCents: 100 }],
  totalCents: 100,
  currency: 'USD',
  customer: { email: 'a@example.com' },
  createdAt: new Date().toISOString(),
  updatedAt: '',
  idempotencyKey: 'k',
  requestHash: 'h',
  nextStep: 'charge-payment',
  compensations: [],
  stepAttempts: 0,
  claimedUntil: 0,
  ...changes,
});

const captured = (id: string): ChargeAttempt => ({ kind: 'captured', charge: { id } as Charge });
const declined: ChargeAttempt = { kind: 'declined', problem: { type: '/problems/payment-declined', title: 'Declined', status: 402 } };

/** Steps over scripted providers: each provider answers its queue of attempts, and calls are recorded. */
function stepsWith(script: Record<string, ChargeAttempt[]>, earlier: Record<string, Charge[]> = {}, reserve?: ReserveOutcome) {
  const calls: string[] = [];
  const payments = {
    names: ['provider-a', 'provider-b'],
    charge: async (provider: string) => {
      calls.push(provider);
      const next = script[provider]?.shift();
      if (!next) throw new Error(`no scripted answer for ${provider}`);
      return next;
    },
    chargesFor: async (provider: string) => earlier[provider] ?? [],
  } as unknown as PaymentProviders;
  const catalog = { reserve: async () => reserve, release: async () => true } as unknown as CatalogClient;
  const payment = new PaymentSteps(payments, { KEEL_CHECKOUT_PAYMENT_PENDING_MAX_MS: 60_000 });
  const stock = new StockSteps(catalog);
  return { steps: { chargePayment: (o: OrderRecord, now?: number) => payment.charge(o, now), reserveStock: (o: OrderRecord) => stock.reserve(o) }, calls };
}

describe('the charge step', () => {
  it('charges provider-a and goes on to schedule shipping', async () => {
    const { steps, calls } = stepsWith({ 'provider-a': [captured('ch_a')] });
    expect(await steps.chargePayment(order())).toMatchObject({ kind: 'next', changes: { payment: { provider: 'provider-a', chargeId: 'ch_a' }, nextStep: 'schedule-shipping' } });
    expect(calls).toEqual(['provider-a']);
  });

  it('fails over to provider-b only when provider-a certainly did not capture', async () => {
    const { steps, calls } = stepsWith({ 'provider-a': [{ kind: 'unavailable', reason: '503' }], 'provider-b': [captured('ch_b')] });
    expect(await steps.chargePayment(order())).toMatchObject({ kind: 'next', changes: { payment: { provider: 'provider-b', chargeId: 'ch_b' } } });
    expect(calls).toEqual(['provider-a', 'provider-b']);
  });

  it('waits, remembering provider-a, when provider-a gave no answer, and never asks provider-b', async () => {
    const { steps, calls } = stepsWith({ 'provider-a': [{ kind: 'unknown', reason: 'timeout' }] });
    expect(await steps.chargePayment(order())).toMatchObject({ kind: 'wait', changes: { uncertainProvider: 'provider-a' } });
    expect(calls).toEqual(['provider-a']);
  });

  it('asks only the uncertain provider again, and keeps waiting while it is unavailable', async () => {
    const { steps, calls } = stepsWith({ 'provider-a': [{ kind: 'unavailable', reason: '503' }] });
    expect((await steps.chargePayment(order({ uncertainProvider: 'provider-a' }))).kind).toBe('wait');
    expect(calls).toEqual(['provider-a']);
  });

  it('takes an earlier capture over a later decline at the uncertain provider', async () => {
    const { steps } = stepsWith({ 'provider-a': [declined] }, { 'provider-a': [{ id: 'ch_early', status: 'captured' } as Charge] });
    expect(await steps.chargePayment(order({ uncertainProvider: 'provider-a' }))).toMatchObject({ kind: 'next', changes: { payment: { chargeId: 'ch_early' } } });
  });

  it('fails a declined order and owes the stock back', async () => {
    const { steps, calls } = stepsWith({ 'provider-a': [declined] });
    expect(await steps.chargePayment(order())).toMatchObject({
      kind: 'next',
      changes: { status: 'failed', failureReason: 'payment-declined', nextStep: 'release-stock', compensations: ['cancel-order'], failure: { status: 402, type: '/problems/payment-declined' } },
    });
    expect(calls).toEqual(['provider-a']);
  });

  it('parks the order as payment-pending, with no give-up count, when neither provider can take it', async () => {
    const down = (): Record<string, ChargeAttempt[]> => ({ 'provider-a': [{ kind: 'unavailable', reason: '503' }], 'provider-b': [{ kind: 'unavailable', reason: 'refused' }] });
    expect(await stepsWith(down()).steps.chargePayment(order())).toEqual({ kind: 'wait', reason: expect.any(String), changes: { status: 'payment-pending' }, bounded: false });
    // Past the pending window it fails, and gives the stock back.
    const late = Date.now() + 61_000;
    expect(await stepsWith(down()).steps.chargePayment(order(), late)).toMatchObject({
      kind: 'next',
      changes: { status: 'failed', failureReason: 'payment-unavailable', nextStep: 'release-stock', compensations: ['cancel-order'], failure: { status: 503 } },
    });
  });
});

describe('the reserve step', () => {
  it('fails on a refusal with nothing to release, and releases after no answer', async () => {
    const refused = stepsWith({}, {}, { kind: 'refused', problem: { type: '/problems/insufficient-stock', title: 'Short', status: 409, instance: '/reservations', shortages: [] } });
    expect(await refused.steps.reserveStock(order({ nextStep: 'reserve-stock' }))).toEqual({
      kind: 'next',
      changes: { status: 'failed', failureReason: 'insufficient-stock', nextStep: 'cancel-order', compensations: [], failure: { type: '/problems/insufficient-stock', title: 'Short', status: 409, shortages: [], orderId: order().id } },
    });
    const silent = stepsWith({}, {}, { kind: 'unavailable', reason: 'timeout' });
    expect(await silent.steps.reserveStock(order({ nextStep: 'reserve-stock' }))).toMatchObject({ kind: 'next', changes: { failureReason: 'catalog-unavailable', nextStep: 'release-stock', compensations: ['cancel-order'] } });
  });
});

describe('the compensation plan', () => {
  it('undoes, in reverse, exactly what may have taken effect, and always cancels the order last', () => {
    expect(compensationsFor({}, false)).toEqual(['cancel-order']);
    expect(compensationsFor({}, true)).toEqual(['release-stock', 'cancel-order']);
    expect(compensationsFor({ payment: { provider: 'provider-b', chargeId: 'ch' } }, true)).toEqual(['refund-payment', 'release-stock', 'cancel-order']);
    expect(compensationsFor({ payment: { provider: 'provider-a', chargeId: 'ch' }, shipmentUncertain: true }, true)).toEqual(['cancel-shipment', 'refund-payment', 'release-stock', 'cancel-order']);
  });
});
