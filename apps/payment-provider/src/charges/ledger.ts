import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { Inject, Injectable } from '@nestjs/common';
import type { Charge, Refund } from '@keel/contracts';
import { SERVICE_ENV } from '@keel/service-kit';
import { ProviderDatabase } from '../database/provider-database';
import type { PaymentProviderEnv } from '../payment-provider.env';

export interface IdempotencyRecord {
  operation: 'charge' | 'refund';
  requestHash: string;
  resourceId: string;
}

interface ChargeRow {
  id: string;
  idempotency_key: string;
  amount_cents: number;
  refunded_cents: number;
  currency: 'USD';
  reference: string;
  status: Charge['status'];
  created_at: string;
}

interface RefundRow {
  id: string;
  charge_id: string;
  idempotency_key: string;
  amount_cents: number;
  created_at: string;
}

/**
 * The provider's books: charges, refunds and the idempotency keys that produced them. Plain
 * reads and writes only; the rules (and the transactions around them) live in `Payments`.
 */
@Injectable()
export class Ledger {
  readonly db: DatabaseSync;
  private readonly provider: string;
  private readonly statements: Record<string, StatementSync>;

  constructor(@Inject(ProviderDatabase) database: ProviderDatabase, @Inject(SERVICE_ENV) env: PaymentProviderEnv) {
    this.db = database.db;
    this.provider = env.KEEL_INSTANCE;
    const sql = (text: string) => this.db.prepare(text);
    this.statements = {
      key: sql('SELECT operation, request_hash AS requestHash, resource_id AS resourceId FROM idempotency_keys WHERE key = ?'),
      insertKey: sql('INSERT INTO idempotency_keys (key, operation, request_hash, resource_id, created_at) VALUES (?, ?, ?, ?, ?)'),
      charge: sql('SELECT * FROM charges WHERE id = ?'),
      chargesByReference: sql('SELECT * FROM charges WHERE reference = ? ORDER BY created_at, id'),
      allCharges: sql('SELECT * FROM charges ORDER BY created_at, id'),
      insertCharge: sql(
        'INSERT INTO charges (id, idempotency_key, amount_cents, refunded_cents, currency, reference, status, created_at) VALUES ($id, $idempotencyKey, $amountCents, 0, $currency, $reference, $status, $createdAt)',
      ),
      setRefunded: sql('UPDATE charges SET refunded_cents = ?, status = ? WHERE id = ?'),
      refund: sql('SELECT * FROM refunds WHERE id = ?'),
      allRefunds: sql('SELECT * FROM refunds ORDER BY created_at, id'),
      insertRefund: sql('INSERT INTO refunds (id, charge_id, idempotency_key, amount_cents, created_at) VALUES ($id, $chargeId, $idempotencyKey, $amountCents, $createdAt)'),
    };
  }

  findKey(key: string): IdempotencyRecord | undefined {
    return this.statements.key.get(key) as IdempotencyRecord | undefined;
  }

  recordKey(key: string, record: IdempotencyRecord, at: string): void {
    this.statements.insertKey.run(key, record.operation, record.requestHash, record.resourceId, at);
  }

  charge(id: string): Charge | undefined {
    const row = this.statements.charge.get(id) as ChargeRow | undefined;
    return row && this.toCharge(row);
  }

  chargesFor(reference: string): Charge[] {
    return (this.statements.chargesByReference.all(reference) as unknown as ChargeRow[]).map((row) => this.toCharge(row));
  }

  allCharges(): Charge[] {
    return (this.statements.allCharges.all() as unknown as ChargeRow[]).map((row) => this.toCharge(row));
  }

  insertCharge(charge: Charge): void {
    const { id, idempotencyKey, amountCents, currency, reference, status, createdAt } = charge;
    this.statements.insertCharge.run({ id, idempotencyKey, amountCents, currency, reference, status, createdAt });
  }

  setRefunded(chargeId: string, refundedCents: number, status: Charge['status']): void {
    this.statements.setRefunded.run(refundedCents, status, chargeId);
  }

  refund(id: string): Refund | undefined {
    const row = this.statements.refund.get(id) as RefundRow | undefined;
    return row && toRefund(row);
  }

  allRefunds(): Refund[] {
    return (this.statements.allRefunds.all() as unknown as RefundRow[]).map(toRefund);
  }

  insertRefund(refund: Refund): void {
    const { id, chargeId, idempotencyKey, amountCents, createdAt } = refund;
    this.statements.insertRefund.run({ id, chargeId, idempotencyKey, amountCents, createdAt });
  }

  private toCharge(row: ChargeRow): Charge {
    return {
      id: row.id,
      provider: this.provider,
      idempotencyKey: row.idempotency_key,
      amountCents: row.amount_cents,
      refundedCents: row.refunded_cents,
      currency: row.currency,
      reference: row.reference,
      status: row.status,
      createdAt: row.created_at,
    };
  }
}

function toRefund(row: RefundRow): Refund {
  return { id: row.id, chargeId: row.charge_id, idempotencyKey: row.idempotency_key, amountCents: row.amount_cents, createdAt: row.created_at };
}
