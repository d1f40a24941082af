import { newEvent } from '@keel/messaging';
import { ProblemException } from '@keel/service-kit';
import { describe, expect, it } from 'vitest';
import { catalogParts, eventsOfType, type CatalogParts } from '../testing/catalog-parts';
import { parseProductChanges } from './product-admin';
import type { ProductChanges } from './product-updates';

const T = Date.parse('2026-11-01T12:00:00.000Z');
const product = (region: CatalogParts, id = 'p-001') => region.db.prepare('SELECT name, price_cents AS priceCents, description, stock FROM products WHERE id = ?').get(id) as Record<string, unknown>;

/** `from` changes p-001 at `at`; returns the event it wrote for the other region. */
function change(from: CatalogParts, changes: ProductChanges, at: number) {
  from.updates.update('p-001', changes, at);
  const [event] = eventsOfType(from.outbox(true), 'product.updated');
  return event;
}

describe('product changes replicated last-writer-wins', () => {
  it('changes the product here and writes product.updated (never stock) in the same transaction', () => {
    const usEast = catalogParts('us-east');
    const stock = usEast.stockOf('p-001');
    const result = usEast.updates.update('p-001', { priceCents: 17900 }, T);
    expect(result).toMatchObject({ id: 'p-001', priceCents: 17900, stock, version: 1, updatedAt: '2026-11-01T12:00:00.000Z', updatedBy: 'us-east' });
    const [event] = eventsOfType(usEast.outbox(), 'product.updated');
    expect(event).toMatchObject({ key: 'p-001', origin: 'us-east', data: { productId: 'p-001', changes: { priceCents: 17900 }, version: 1, updatedAt: '2026-11-01T12:00:00.000Z', region: 'us-east' } });
    expect(() => usEast.updates.update('p-999', { name: 'Ghost' })).toThrow(ProblemException);
  });

  it('applies a newer change from the other region, once', () => {
    const [usEast, euWest] = [catalogParts('us-east'), catalogParts('eu-west')];
    const event = change(euWest, { priceCents: 19900, name: 'Aurora Headphones II' }, T);
    expect(usEast.updates.apply(event, usEast.ctx(event))).toBe('applied');
    expect(usEast.updates.apply(event, usEast.ctx(event))).toBe('duplicate');
    expect(product(usEast)).toMatchObject({ priceCents: 19900, name: 'Aurora Headphones II' });
    expect(usEast.updates.version('p-001')).toEqual({ version: 1, updatedAt: '2026-11-01T12:00:00.000Z', updatedBy: 'eu-west' });
  });

  it('never lets an older change overwrite a newer one, whatever order they arrive in', () => {
    const [usEast, euWest] = [catalogParts('us-east'), catalogParts('eu-west')];
    const older = change(usEast, { priceCents: 10000 }, T);
    const newer = change(euWest, { priceCents: 20000 }, T + 1_000);
    // eu-west holds the newer price; us-east's older one arrives late and is dropped.
    expect(euWest.updates.apply(older, euWest.ctx(older))).toBe('stale');
    expect(product(euWest).priceCents).toBe(20000);
    // us-east receives the newer one after its own older change: it wins there too.
    expect(usEast.updates.apply(newer, usEast.ctx(newer))).toBe('applied');
    expect(product(usEast).priceCents).toBe(20000);
    expect(euWest.updates.version('p-001')).toMatchObject({ updatedBy: 'eu-west', version: 1 });
  });

  it('keeps concurrent changes of different fields in both regions, and breaks an exact tie by region', () => {
    const [usEast, euWest] = [catalogParts('us-east'), catalogParts('eu-west')];
    const price = change(usEast, { priceCents: 15000 }, T + 5_000);
    const name = change(euWest, { name: 'Renamed' }, T);
    usEast.updates.apply(name, usEast.ctx(name));
    euWest.updates.apply(price, euWest.ctx(price));
    expect(product(usEast)).toEqual(product(euWest));
    expect(product(usEast)).toMatchObject({ priceCents: 15000, name: 'Renamed' });

    const east = change(usEast, { description: 'Told by us-east, at the same millisecond.' }, T + 10_000);
    const west = change(euWest, { description: 'Told by eu-west, at the same millisecond.' }, T + 10_000);
    usEast.updates.apply(west, usEast.ctx(west));
    euWest.updates.apply(east, euWest.ctx(east));
    expect(product(usEast).description).toBe('Told by us-east, at the same millisecond.');
    expect(product(euWest)).toEqual(product(usEast));
  });

  it('stamps a local change after every change already seen, even with a clock behind', () => {
    const [usEast, euWest] = [catalogParts('us-east'), catalogParts('eu-west')];
    const ahead = change(euWest, { priceCents: 30000 }, T + 60_000);
    usEast.updates.apply(ahead, usEast.ctx(ahead));
    const local = change(usEast, { priceCents: 31000 }, T);
    expect(local.data).toMatchObject({ updatedAt: '2026-11-01T12:01:00.001Z', version: 2 });
    expect(euWest.updates.apply(local, euWest.ctx(local))).toBe('applied');
    expect(product(euWest).priceCents).toBe(31000);
  });

  it('ignores its own changes coming back from the broker', () => {
    const usEast = catalogParts('us-east');
    const own = change(usEast, { priceCents: 12345 }, T);
    const echo = newEvent('product.updated', { key: 'p-001', origin: 'us-east', data: { ...own.data, changes: { priceCents: 1 } } });
    expect(usEast.updates.apply(echo, usEast.ctx(echo))).toBe('not-for-us');
    expect(product(usEast).priceCents).toBe(12345);
  });
});

describe('parseProductChanges', () => {
  it('takes any of price, name and description, and refuses anything else with a 400 problem', () => {
    expect(parseProductChanges({ priceCents: 100, name: 'A name' })).toEqual({ priceCents: 100, name: 'A name' });
    for (const body of [undefined, {}, { stock: 5 }, { priceCents: -1 }, { priceCents: 1.5 }, { priceCents: '100' }, { name: '' }, { name: 'x'.repeat(201) }, [], 'price']) {
      let thrown: unknown;
      try {
        parseProductChanges(body);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, JSON.stringify(body)).toBeInstanceOf(ProblemException);
      expect((thrown as ProblemException).problem).toMatchObject({ status: 400, type: '/problems/validation' });
    }
  });
});
