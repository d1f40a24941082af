import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Charge, ChargeRequest, Refund, RefundRequest } from '@keel/contracts';
import { SERVICE_ENV, transaction } from '@keel/service-kit';
import type { PaymentProviderEnv } from '../payment-provider.env';
import { chargeNotFound, idempotencyKeyReused, refundExceedsCharge } from '../payment-provider.problems';
import { Ledger, type IdempotencyRecord } from './ledger';
import { requestFingerprint } from './request-fingerprint';

/** What a write produced, and whether it happened now (201) or is a replay of an earlier one (200). */
export interface WriteOutcome<T> {
  result: T;
  created: boolean;
}

/**
 * Captures and refunds, each exactly once per idempotency key. The key lookup and the write run
 * in one `BEGIN IMMEDIATE` transaction, so two requests with the same key (in this process or in
 * another one on the same file) cannot both see "new key" and both move money; the primary key
 * on `idempotency_keys` backs that up.
 */
@Injectable()
export class Payments {
  constructor(
    @Inject(Ledger) private readonly ledger: Ledger,
    @Inject(SERVICE_ENV) private readonly env: PaymentProviderEnv,
  ) {}

  capture(key: string, request: ChargeRequest): WriteOutcome<Charge> {
    const requestHash = requestFingerprint('charge', { amountCents: request.amountCents, currency: request.currency, reference: request.reference });
    return transaction(this.ledger.db, () => {
      const seen = this.replayable(key, 'charge', requestHash);
      if (seen) return { result: this.chargeOrThrow(seen.resourceId), created: false };
      const charge: Charge = {
        id: `ch_${randomUUID()}`,
        provider: this.env.KEEL_INSTANCE,
        idempotencyKey: key,
        amountCents: request.amountCents,
        refundedCents: 0,
        currency: request.currency,
        reference: request.reference,
        status: 'captured',
        createdAt: new Date().toISOString(),
      };
      this.ledger.insertCharge(charge);
      this.ledger.recordKey(key, { operation: 'charge', requestHash, resourceId: charge.id }, charge.createdAt);
      return { result: charge, created: true };
    });
  }

  /** Refunds never add up to more than the charge; the charge reads 'refunded' once fully refunded. */
  refund(chargeId: string, key: string, request: RefundRequest): WriteOutcome<Refund> {
    const requestHash = requestFingerprint('refund', { chargeId, amountCents: request.amountCents });
    return transaction(this.ledger.db, () => {
      const seen = this.replayable(key, 'refund', requestHash);
      if (seen) {
        const earlier = this.ledger.refund(seen.resourceId);
        if (!earlier) throw new Error(`idempotency key ${key} points at missing refund ${seen.resourceId}`);
        return { result: earlier, created: false };
      }
      const charge = this.chargeOrThrow(chargeId);
      const refundable = charge.amountCents - charge.refundedCents;
      if (request.amountCents > refundable) throw refundExceedsCharge(chargeId, request.amountCents, refundable);
      const refund: Refund = { id: `re_${randomUUID()}`, chargeId, idempotencyKey: key, amountCents: request.amountCents, createdAt: new Date().toISOString() };
      const refunded = charge.refundedCents + refund.amountCents;
      this.ledger.insertRefund(refund);
      this.ledger.setRefunded(chargeId, refunded, refunded === charge.amountCents ? 'refunded' : 'captured');
      this.ledger.recordKey(key, { operation: 'refund', requestHash, resourceId: refund.id }, refund.createdAt);
      return { result: refund, created: true };
    });
  }

  charge(chargeId: string): Charge {
    return this.chargeOrThrow(chargeId);
  }

  chargesFor(reference: string): Charge[] {
    return this.ledger.chargesFor(reference);
  }

  /** The earlier write for this key, or undefined for a new key; 422 when the key was used for something else. */
  private replayable(key: string, operation: IdempotencyRecord['operation'], requestHash: string): IdempotencyRecord | undefined {
    const seen = this.ledger.findKey(key);
    if (seen && (seen.operation !== operation || seen.requestHash !== requestHash)) throw idempotencyKeyReused(key);
    return seen;
  }

  private chargeOrThrow(chargeId: string): Charge {
    const charge = this.ledger.charge(chargeId);
    if (!charge) throw chargeNotFound(chargeId);
    return charge;
  }
}
