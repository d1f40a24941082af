import { randomUUID } from 'node:crypto';
import { newEvent } from '@keel/messaging';
import { ProblemException, transaction } from '@keel/service-kit';
import { describe, expect, it } from 'vitest';
import { catalogParts, eventsOfType, type CatalogParts } from '../testing/catalog-parts';

// p-001 is seeded with 120 units per region, p-046 with 20. Low-water mark 10, batch 20.
const reserve = (region: CatalogParts, productId: string, quantity: number) => region.reservations.reserve(`hold-${randomUUID()}`, [{ productId, quantity }]);
const requested = (region: CatalogParts) => eventsOfType(region.outbox(true), 'stock.transfer-requested');
const owned = (region: CatalogParts, productId: string) => {
  const reserved = region.db.prepare("SELECT COALESCE(SUM(quantity), 0) AS n FROM reservation_items i JOIN reservations r ON r.id = i.reservation_id WHERE product_id = ? AND r.status = 'reserved'").get(productId) as { n: number };
  return region.stockOf(productId) + reserved.n;
};
const sum = (region: CatalogParts, table: 'transfers_in' | 'transfers_out', productId: string) =>
  (region.db.prepare(`SELECT COALESCE(SUM(quantity), 0) AS n FROM ${table} WHERE product_id = ?`).get(productId) as { n: number }).n;

describe('asking for stock (the low-water mark)', () => {
  it('asks the peer for a batch when a reservation leaves fewer than the mark, in the reservation transaction', () => {
    const usEast = catalogParts('us-east');
    reserve(usEast, 'p-001', 110);
    expect(requested(usEast)).toEqual([]);
    reserve(usEast, 'p-001', 1);
    const [request] = requested(usEast);
    expect(request).toMatchObject({ key: 'p-001', origin: 'us-east', data: { productId: 'p-001', quantity: 20, from: 'eu-west', to: 'us-east' } });
    expect(usEast.requests.find(request.data.transferId)).toMatchObject({ status: 'open', fromRegion: 'eu-west', quantity: 20 });
  });

  it('keeps at most one open request per product, and asks again once it is declined or expired', () => {
    const usEast = catalogParts('us-east');
    reserve(usEast, 'p-001', 115);
    reserve(usEast, 'p-001', 1);
    reserve(usEast, 'p-001', 1);
    const [first, ...more] = requested(usEast);
    expect(more).toEqual([]);

    expect(usEast.requests.close(first.data.transferId, 'declined')).toBe(true);
    reserve(usEast, 'p-001', 1);
    const [second] = requested(usEast);
    expect(second.data.transferId).not.toBe(first.data.transferId);

    // Unanswered past the TTL (5 minutes): no longer open, a new request may go out.
    const expiry = (usEast.requests.find(second.data.transferId)?.requestedAt ?? NaN) + 5 * 60_000;
    expect(transaction(usEast.db, () => usEast.requests.requestIfLow('p-001', expiry - 1))).toBeUndefined();
    expect(transaction(usEast.db, () => usEast.requests.requestIfLow('p-001', expiry))).toEqual(expect.any(String));
    expect(usEast.requests.find(second.data.transferId)?.status).toBe('expired');
  });

  it('asks nothing when the mark is 0, without a broker or without a peer', () => {
    for (const overrides of [{ KEEL_CATALOG_REBALANCE_LOW_WATER: 0 }, { KEEL_KAFKA_BROKERS: undefined }, { KEEL_PEER_REGION: undefined }]) {
      const usEast = catalogParts('us-east', overrides);
      reserve(usEast, 'p-001', 119);
      expect(requested(usEast), JSON.stringify(overrides)).toEqual([]);
    }
  });

  it('asks nothing for a refused reservation: it rolled back as a whole', () => {
    const usEast = catalogParts('us-east');
    expect(() => reserve(usEast, 'p-046', 21)).toThrow(ProblemException);
    expect(requested(usEast)).toEqual([]);
  });
});

describe('sending and receiving units', () => {
  it('moves a batch from the peer when it keeps its own mark, conserving the units in transit and after', () => {
    const [usEast, euWest] = [catalogParts('us-east'), catalogParts('eu-west')];
    reserve(usEast, 'p-001', 111);
    const [request] = requested(usEast);

    expect(euWest.transfers.onRequested(request, euWest.ctx(request))).toBe('sent');
    expect(euWest.stockOf('p-001')).toBe(100);
    const [sent] = eventsOfType(euWest.outbox(true), 'stock.transferred');
    expect(sent).toMatchObject({ origin: 'eu-west', key: 'p-001', data: { transferId: request.data.transferId, productId: 'p-001', quantity: 20, from: 'eu-west', to: 'us-east' } });
    // In transit: out of eu-west, not yet in us-east.
    const inTransit = sum(euWest, 'transfers_out', 'p-001') - sum(usEast, 'transfers_in', 'p-001');
    expect(owned(usEast, 'p-001') + owned(euWest, 'p-001') + inTransit).toBe(240);

    expect(usEast.transfers.onTransferred(sent, usEast.ctx(sent))).toBe('received');
    expect(usEast.stockOf('p-001')).toBe(29);
    expect(usEast.requests.find(request.data.transferId)?.status).toBe('received');
    expect(owned(usEast, 'p-001') + owned(euWest, 'p-001')).toBe(240);
    expect(sum(euWest, 'transfers_out', 'p-001') - sum(usEast, 'transfers_in', 'p-001')).toBe(0);
  });

  it('declines when sending would leave the sender below its own mark, and the request closes', () => {
    const [usEast, euWest] = [catalogParts('us-east'), catalogParts('eu-west')];
    reserve(usEast, 'p-046', 11);
    const [request] = requested(usEast);
    expect(euWest.transfers.onRequested(request, euWest.ctx(request))).toBe('declined');
    expect(euWest.stockOf('p-046')).toBe(20);
    expect(sum(euWest, 'transfers_out', 'p-046')).toBe(0);
    const [declined] = eventsOfType(euWest.outbox(true), 'stock.transfer-declined');
    expect(declined.data).toMatchObject({ transferId: request.data.transferId, from: 'eu-west', to: 'us-east', reason: expect.stringContaining('low-water mark of 10') });

    expect(usEast.transfers.onDeclined(declined, usEast.ctx(declined))).toBe('closed');
    expect(usEast.requests.find(request.data.transferId)?.status).toBe('declined');
    expect(usEast.stockOf('p-046')).toBe(9);
  });

  it('adds a transfer once, by event id and by transfer id, even after its request expired', () => {
    const [usEast, euWest] = [catalogParts('us-east'), catalogParts('eu-west')];
    reserve(usEast, 'p-001', 111);
    const [request] = requested(usEast);
    euWest.transfers.onRequested(request, euWest.ctx(request));
    const [sent] = eventsOfType(euWest.outbox(true), 'stock.transferred');
    usEast.db.prepare("UPDATE transfer_requests SET status = 'expired'").run();

    expect(usEast.transfers.onTransferred(sent, usEast.ctx(sent))).toBe('received');
    expect(usEast.transfers.onTransferred(sent, usEast.ctx(sent))).toBe('duplicate');
    const sameTransferNewId = newEvent('stock.transferred', { key: 'p-001', origin: 'eu-west', data: sent.data });
    expect(usEast.transfers.onTransferred(sameTransferNewId, usEast.ctx(sameTransferNewId))).toBe('duplicate');
    expect(usEast.stockOf('p-001')).toBe(29);
    expect(sum(usEast, 'transfers_in', 'p-001')).toBe(20);
    expect(usEast.requests.find(request.data.transferId)?.status).toBe('received');
  });

  it('sends once for a request delivered twice, even under a new event id', () => {
    const [usEast, euWest] = [catalogParts('us-east'), catalogParts('eu-west')];
    reserve(usEast, 'p-001', 111);
    const [request] = requested(usEast);
    const again = newEvent('stock.transfer-requested', { key: 'p-001', origin: 'us-east', data: request.data });
    expect(euWest.transfers.onRequested(request, euWest.ctx(request))).toBe('sent');
    expect(euWest.transfers.onRequested(request, euWest.ctx(request))).toBe('duplicate');
    expect(euWest.transfers.onRequested(again, euWest.ctx(again))).toBe('duplicate');
    expect(euWest.stockOf('p-001')).toBe(100);
    expect(eventsOfType(euWest.outbox(), 'stock.transferred')).toHaveLength(1);
  });

  it('ignores its own events and events addressed to another region', () => {
    const [usEast, euWest] = [catalogParts('us-east'), catalogParts('eu-west')];
    reserve(usEast, 'p-001', 111);
    const [request] = requested(usEast);
    expect(usEast.transfers.onRequested(request, usEast.ctx(request))).toBe('not-for-us');
    const elsewhere = newEvent('stock.transfer-requested', { key: 'p-001', origin: 'ap-south', data: { ...request.data, from: 'ap-north', to: 'ap-south' } });
    expect(euWest.transfers.onRequested(elsewhere, euWest.ctx(elsewhere))).toBe('not-for-us');
    const mine = newEvent('stock.transferred', { key: 'p-001', origin: 'us-east', data: { ...request.data, from: 'eu-west', to: 'us-east' } });
    expect(usEast.transfers.onTransferred(mine, usEast.ctx(mine))).toBe('not-for-us');
    expect([usEast.stockOf('p-001'), euWest.stockOf('p-001')]).toEqual([9, 120]);
    expect(euWest.outbox()).toEqual([]);
  });
});
