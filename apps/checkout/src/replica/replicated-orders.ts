import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { Inject, Injectable } from '@nestjs/common';
import { FINAL_ORDER_STATUSES, type EventEnvelope, type Order, type OrderLine, type OrderStatus } from '@keel/contracts';
import { CheckoutDatabase } from '../database/checkout-database';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS replicated_orders (
    id TEXT PRIMARY KEY,
    region TEXT NOT NULL,
    status TEXT NOT NULL,
    items TEXT NOT NULL,
    total_cents INTEGER NOT NULL,
    currency TEXT NOT NULL,
    customer_email TEXT NOT NULL,
    payment TEXT,
    shipment TEXT,
    failure_reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS replicated_order_events_early (
    event_id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL,
    envelope TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS replicated_order_events_early_by_order ON replicated_order_events_early (order_id)`;

interface ReplicaRow {
  id: string;
  region: string;
  status: OrderStatus;
  items: string;
  total_cents: number;
  currency: 'USD';
  customer_email: string;
  payment: string | null;
  shipment: string | null;
  failure_reason: string | null;
  created_at: string;
  updated_at: string;
}

/** Whether `status` may replace `current`: an order only moves forward, so a late event cannot undo a later one. */
const rank = (status: OrderStatus) => (FINAL_ORDER_STATUSES.includes(status) ? 2 : status === 'payment-pending' ? 1 : 0);

/**
 * Orders owned by the other region, as its events describe them: a read model, so this region
 * can answer `GET /orders/:id` for them when their home region cannot. Written only by the
 * replica consumer; never a source of truth (the home region's checkout is).
 */
@Injectable()
export class ReplicatedOrders {
  private readonly db: DatabaseSync;
  private readonly byId: StatementSync;

  constructor(@Inject(CheckoutDatabase) database: CheckoutDatabase) {
    this.db = database.db;
    this.db.exec(SCHEMA);
    this.byId = this.db.prepare('SELECT * FROM replicated_orders WHERE id = ?');
  }

  find(id: string): Order | undefined {
    const row = this.byId.get(id) as ReplicaRow | undefined;
    return row && toOrder(row);
  }

  get database(): DatabaseSync {
    return this.db;
  }

  /**
   * Applies one event of a foreign order. Order and shipping events travel on different topics, so
   * a shipment can arrive before its order.created: such an event is kept aside and applied when
   * the order arrives. Call inside a transaction.
   */
  apply(event: EventEnvelope): void {
    const data = event.data as { orderId: string };
    if (event.type !== 'order.created' && !this.byId.get(data.orderId)) {
      this.db.prepare('INSERT OR IGNORE INTO replicated_order_events_early (event_id, order_id, envelope) VALUES (?, ?, ?)').run(event.id, data.orderId, JSON.stringify(event));
      return;
    }
    this.applyKnown(event);
    if (event.type !== 'order.created') return;
    const early = this.db.prepare('SELECT envelope FROM replicated_order_events_early WHERE order_id = ?').all(data.orderId) as { envelope: string }[];
    for (const row of early) this.applyKnown(JSON.parse(row.envelope) as EventEnvelope);
    this.db.prepare('DELETE FROM replicated_order_events_early WHERE order_id = ?').run(data.orderId);
  }

  private applyKnown(event: EventEnvelope): void {
    const at = event.occurredAt;
    const data = event.data as { orderId: string };
    if (event.type === 'order.created') {
      const created = (event as EventEnvelope<'order.created'>).data;
      this.db
        .prepare(
          `INSERT INTO replicated_orders (id, region, status, items, total_cents, currency, customer_email, created_at, updated_at)
           VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
        )
        .run(created.orderId, created.region, JSON.stringify(created.items), created.totalCents, created.currency, created.customer.email, at, at);
      return;
    }
    const current = this.byId.get(data.orderId) as unknown as ReplicaRow;
    const set = (fields: Partial<Record<'status' | 'payment' | 'shipment' | 'failure_reason', string>>) => {
      if (fields.status && rank(fields.status as OrderStatus) < rank(current.status)) delete fields.status;
      const names = Object.keys(fields);
      const assignments = [...names.map((name) => `${name} = ?`), 'updated_at = max(updated_at, ?)'].join(', ');
      this.db.prepare(`UPDATE replicated_orders SET ${assignments} WHERE id = ?`).run(...names.map((n) => fields[n as keyof typeof fields] ?? null), at, data.orderId);
    };
    switch (event.type) {
      case 'order.payment-pending':
        set({ status: 'payment-pending' });
        break;
      case 'order.confirmed':
        set({ status: 'confirmed', payment: JSON.stringify((event as EventEnvelope<'order.confirmed'>).data.payment) });
        break;
      case 'order.cancelled':
        set({ status: 'failed', failure_reason: (event as EventEnvelope<'order.cancelled'>).data.reason });
        break;
      case 'order.needs-attention':
        set({ status: 'needs-attention' });
        break;
      case 'shipment.scheduled': {
        const { carrier, shipmentId } = (event as EventEnvelope<'shipment.scheduled'>).data;
        set({ shipment: JSON.stringify({ carrier, shipmentId }) });
        break;
      }
    }
  }
}

function toOrder(row: ReplicaRow): Order {
  return {
    id: row.id,
    region: row.region,
    status: row.status,
    items: JSON.parse(row.items) as OrderLine[],
    totalCents: row.total_cents,
    currency: row.currency,
    customer: { email: row.customer_email },
    ...(row.payment ? { payment: JSON.parse(row.payment) as Order['payment'] } : {}),
    ...(row.shipment ? { shipment: JSON.parse(row.shipment) as Order['shipment'] } : {}),
    ...(row.failure_reason ? { failureReason: row.failure_reason } : {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
