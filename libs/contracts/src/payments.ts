export type ChargeStatus = 'captured' | 'refunded';

/** `POST /charges` on a payment provider; idempotent on the `Idempotency-Key` header. */
export interface ChargeRequest {
  amountCents: number;
  currency: 'USD';
  /** What the charge is for (checkout sends the order id). */
  reference: string;
}

export interface Charge {
  id: string;
  provider: string;
  idempotencyKey: string;
  amountCents: number;
  refundedCents: number;
  currency: 'USD';
  reference: string;
  status: ChargeStatus;
  createdAt: string;
}

/** `GET /charges?reference=...`: every charge made for one reference (checkout: an order id). */
export interface ChargeList {
  items: Charge[];
}

/** `POST /charges/:id/refunds`; idempotent on the `Idempotency-Key` header. */
export interface RefundRequest {
  amountCents: number;
}

export interface Refund {
  id: string;
  chargeId: string;
  idempotencyKey: string;
  amountCents: number;
  createdAt: string;
}

/** Fault controls on a fake third party's admin port (payment providers, the carrier): `PUT /admin/faults`. */
export interface ProviderFaults {
  /**
   * none: behave; fail: answer 503; slow: add delayMs; refuse: answer 429 with Retry-After;
   * decline: the business refusal (a provider's 402 payment-declined, the carrier's 422 shipment-refused).
   */
  mode: 'none' | 'fail' | 'slow' | 'refuse' | 'decline';
  /** Share of requests affected, 0..1 (default 1). */
  rate?: number;
  delayMs?: number;
}

/** The same body under a name that is not about payments, for the carrier and any later fake. */
export type FaultSettingsBody = ProviderFaults;

/** `GET /admin/charges` on a provider's admin port: its whole ledger, for the money audit. */
export interface ProviderLedger {
  provider: string;
  charges: Charge[];
  refunds: Refund[];
}
