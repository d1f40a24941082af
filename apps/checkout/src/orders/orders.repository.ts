import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { Inject, Injectable } from '@nestjs/common';
import type { OrderLine, OrderStatus } from '@keel/contracts';
import { transaction } from '@keel/service-kit';
import { CheckoutDatabase } from '../database/checkout-database';
import { enqueueOrderEvents } from './order-events';
import { isCompensation, type OrderRecord } from './order-record';

/** Thrown when a worker writes an order it no longer owns (its claim expired and another took it). */
export class ClaimLostError extends Error {
  constructor(readonly orderId: string) {
    super(`claim on order ${orderId} was lost`);
  }
}

interface OrderRow {
  id: string;
  idempotency_key: string;
  request_hash: string;
  region: string;
  status: OrderStatus;
  next_step: OrderRecord['nextStep'];
  compensations: string;
  step_attempts: number;
  items: string;
  total_cents: number;
  currency: 'USD';
  customer_email: string;
  payment_provider: string | null;
  charge_id: string | null;
  uncertain_provider: string | null;
  refund_id: string | null;
  shipment_carrier: string | null;
  shipment_id: string | null;
  shipment_uncertain: number;
  failure_reason: string | null;
  failure: string | null;
  attention: string | null;
  claimed_until: number;
  created_at: string;
  updated_at: string;
}

/**
 * Orders in SQLite. Every write after creation is conditional on the writer's claim token, so a
 * worker that stalled past its claim cannot overwrite what the worker that took over decided.
 * Every save writes the events of what it changed (order-events.ts) in the same transaction.
 */
@Injectable()
export class OrdersRepository {
  private readonly db: DatabaseSync;
  private readonly statements: Record<string, StatementSync>;

  constructor(@Inject(CheckoutDatabase) database: CheckoutDatabase) {
    this.db = database.db;
    const sql = (text: string) => this.db.prepare(text);
    this.statements = {
      byId: sql('SELECT * FROM orders WHERE id = ?'),
      byKey: sql('SELECT * FROM orders WHERE idempotency_key = ?'),
      byStatus: sql('SELECT * FROM orders WHERE status = ? ORDER BY created_at, id'),
      all: sql('SELECT * FROM orders ORDER BY created_at, id'),
      insert: sql(`
        INSERT INTO orders (id, idempotency_key, request_hash, region, status, next_step, items, total_cents, currency, customer_email,
                            claim_token, claimed_until, resume_at, created_at, updated_at)
        VALUES ($id, $key, $hash, $region, $status, $nextStep, $items, $totalCents, $currency, $email, $claim, $claimedUntil, 0, $createdAt, $createdAt)
        ON CONFLICT (idempotency_key) DO NOTHING`),
      due: sql(`SELECT id FROM orders WHERE next_step IS NOT NULL AND status != 'needs-attention' AND claimed_until <= $now AND resume_at <= $now ORDER BY resume_at LIMIT $limit`),
      claim: sql(`UPDATE orders SET claim_token = $claim, claimed_until = $claimedUntil
                  WHERE id = $id AND next_step IS NOT NULL AND status != 'needs-attention' AND claimed_until <= $now AND resume_at <= $now`),
      retryStuck: sql(`UPDATE orders SET status = $status, step_attempts = 0, attention = NULL, claim_token = NULL, claimed_until = 0, resume_at = 0, updated_at = $updatedAt
                       WHERE id = $id AND status = 'needs-attention'`),
      save: sql(`
        UPDATE orders SET status = $status, next_step = $nextStep, compensations = $compensations, step_attempts = $stepAttempts,
               payment_provider = $provider, charge_id = $chargeId, uncertain_provider = $uncertainProvider, refund_id = $refundId,
               shipment_carrier = $carrier, shipment_id = $shipmentId, shipment_uncertain = $shipmentUncertain,
               failure_reason = $failureReason, failure = $failure, attention = $attention,
               claim_token = $nextClaim, claimed_until = $claimedUntil, resume_at = $resumeAt, updated_at = $updatedAt
        WHERE id = $id AND claim_token = $claim`),
    };
  }

  findById(id: string): OrderRecord | undefined {
    return this.read(this.statements.byId, id);
  }

  findByKey(key: string): OrderRecord | undefined {
    return this.read(this.statements.byKey, key);
  }

  list(status?: OrderStatus): OrderRecord[] {
    const rows = (status ? this.statements.byStatus.all(status) : this.statements.all.all()) as unknown as OrderRow[];
    return rows.map(fromRow);
  }

  /**
   * Inserts a new order owned by `claim`, unless its idempotency key is taken: then the order that
   * holds the key comes back instead (a concurrent duplicate lost the race; the unique constraint decided).
   */
  create(record: OrderRecord, claim: string): { created: boolean; order: OrderRecord } {
    return transaction(this.db, () => {
      const { changes } = this.statements.insert.run({
        id: record.id,
        key: record.idempotencyKey,
        hash: record.requestHash,
        region: record.region,
        status: record.status,
        nextStep: record.nextStep,
        items: JSON.stringify(record.items),
        totalCents: record.totalCents,
        currency: record.currency,
        email: record.customer.email,
        claim,
        claimedUntil: record.claimedUntil,
        createdAt: record.createdAt,
      });
      const stored = this.findByKey(record.idempotencyKey);
      if (!stored) throw new Error(`order with key ${record.idempotencyKey} vanished inside its transaction`);
      if (changes === 1) enqueueOrderEvents(this.db, undefined, stored);
      return { created: changes === 1, order: stored };
    });
  }

  /**
   * Puts a saga that stopped for a human back in the recovery loop's hands, from the step where it
   * stopped with a fresh count of attempts; false when the order is not `needs-attention`. A
   * compensating order goes back to `failed`, one stopped on a forward step to `pending`.
   */
  retryStuck(id: string): boolean {
    const order = this.findById(id);
    if (!order || order.status !== 'needs-attention' || !order.nextStep) return false;
    const status = isCompensation(order.nextStep) ? 'failed' : 'pending';
    return this.statements.retryStuck.run({ id, status, updatedAt: new Date().toISOString() }).changes === 1;
  }

  /** Takes up to `limit` orders with work left whose owner (if any) has gone and whose wait is over. */
  claimDue(claim: string, now: number, claimedUntil: number, limit: number): OrderRecord[] {
    return transaction(this.db, () => {
      const due = this.statements.due.all({ now, limit }) as { id: string }[];
      const claimed: OrderRecord[] = [];
      for (const { id } of due) {
        const order = this.statements.claim.run({ id, claim, claimedUntil, now }).changes === 1 ? this.findById(id) : undefined;
        if (order) claimed.push(order);
      }
      return claimed;
    });
  }

  /**
   * Writes the order's new state if `claim` still owns it. `claimedUntil` > 0 keeps the claim
   * (the worker goes on); 0 lets go of it, and `resumeAt` says when recovery may take it up.
   */
  save(record: OrderRecord, claim: string, claimedUntil: number, resumeAt = 0): OrderRecord {
    const updatedAt = new Date().toISOString();
    return transaction(this.db, () => {
      const before = this.findById(record.id);
      const { changes } = this.statements.save.run({
        id: record.id,
        claim,
        status: record.status,
        nextStep: record.nextStep,
        compensations: JSON.stringify(record.compensations),
        stepAttempts: record.stepAttempts,
        provider: record.payment?.provider ?? null,
        chargeId: record.payment?.chargeId ?? null,
        uncertainProvider: record.uncertainProvider ?? null,
        refundId: record.refundId ?? null,
        carrier: record.shipment?.carrier ?? null,
        shipmentId: record.shipment?.shipmentId ?? null,
        shipmentUncertain: record.shipmentUncertain ? 1 : 0,
        failureReason: record.failureReason ?? null,
        failure: record.failure ? JSON.stringify(record.failure) : null,
        attention: record.attention ?? null,
        nextClaim: claimedUntil > 0 ? claim : null,
        claimedUntil,
        resumeAt,
        updatedAt,
      });
      // Thrown inside the transaction: a lost claim writes neither the change nor its events.
      if (changes !== 1 || !before) throw new ClaimLostError(record.id);
      const saved = { ...record, claimedUntil, updatedAt };
      enqueueOrderEvents(this.db, before, saved);
      return saved;
    });
  }

  private read(statement: StatementSync, value: string): OrderRecord | undefined {
    const row = statement.get(value) as OrderRow | undefined;
    return row && fromRow(row);
  }
}

function fromRow(row: OrderRow): OrderRecord {
  return {
    id: row.id,
    region: row.region,
    status: row.status,
    items: JSON.parse(row.items) as OrderLine[],
    totalCents: row.total_cents,
    currency: row.currency,
    customer: { email: row.customer_email },
    ...(row.payment_provider && row.charge_id ? { payment: { provider: row.payment_provider, chargeId: row.charge_id } } : {}),
    ...(row.shipment_carrier && row.shipment_id ? { shipment: { carrier: row.shipment_carrier, shipmentId: row.shipment_id } } : {}),
    ...(row.failure_reason ? { failureReason: row.failure_reason } : {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    idempotencyKey: row.idempotency_key,
    requestHash: row.request_hash,
    nextStep: row.next_step,
    compensations: JSON.parse(row.compensations) as OrderRecord['compensations'],
    stepAttempts: row.step_attempts,
    ...(row.uncertain_provider ? { uncertainProvider: row.uncertain_provider } : {}),
    ...(row.refund_id ? { refundId: row.refund_id } : {}),
    ...(row.shipment_uncertain ? { shipmentUncertain: true } : {}),
    ...(row.failure ? { failure: JSON.parse(row.failure) } : {}),
    ...(row.attention ? { attention: row.attention } : {}),
    claimedUntil: row.claimed_until,
  };
}
