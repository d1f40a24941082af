import type { CarrierLedger, Charge, ProviderLedger, Refund, StockReport } from '@keel/contracts';
import { AuditError } from './audit-error';
import type { AdminEndpoint, AuditEndpoints } from './endpoints';
import type { AuditedOrder, AuditSnapshot, ProviderSnapshot } from './model';

async function getJson<T>(service: string, endpoint: AdminEndpoint, path: string, timeoutMs: number): Promise<T> {
  const url = `${endpoint.url}${path}`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { authorization: `Bearer ${endpoint.token}` }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new AuditError(`${service} is unreachable at ${url} (${cause})`, service);
  }
  if (!response.ok) throw new AuditError(`${service} answered ${response.status} to GET ${url}`, service);
  try {
    return (await response.json()) as T;
  } catch {
    throw new AuditError(`${service} answered GET ${url} with something that is not JSON`, service);
  }
}

/** Every value, or one error naming every service that could not be read, in a stable order. */
function unwrap(settled: PromiseSettledResult<unknown>[]): unknown[] {
  const failures = settled.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
  if (failures.length === 0) return settled.map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value);
  const first = failures[0];
  if (failures.length === 1 || !failures.every((f) => f instanceof AuditError)) throw first;
  const lines = failures.map((f) => (f as AuditError).message);
  throw new AuditError(lines.join('; '), (first as AuditError).service, lines);
}

/**
 * Only what existed when the snapshot began: later work belongs to orders the snapshot never saw.
 * Stamps are whole milliseconds, so an item stamped in the snapshot's own millisecond may have been
 * made just before it, its order already written: it is kept. A strict `<` hid a shipment posted a
 * moment before the audit whenever the two fell in one millisecond.
 */
const madeBy = <T extends { createdAt: string }>(items: T[], takenAt: number) => items.filter((item) => Date.parse(item.createdAt) <= takenAt);

/**
 * Reads every service's books. Orders first, then ledgers and stock: a charge made after the
 * orders were read would otherwise look like money taken for an order that does not exist.
 */
export async function collectSnapshot(endpoints: AuditEndpoints, timeoutMs: number): Promise<AuditSnapshot> {
  const takenAt = Date.now();
  const orderReads = await Promise.allSettled(
    endpoints.regions.map(({ region, checkout }) => getJson<{ items: AuditedOrder[] }>(`${region}/checkout`, checkout, '/admin/orders', timeoutMs)),
  );
  // Read even when an order read failed, so the error names every service that is down, not the first.
  const bookReads = await Promise.allSettled<StockReport | ProviderLedger | CarrierLedger>([
    ...endpoints.regions.map(({ region, catalog }) => getJson<StockReport>(`${region}/catalog`, catalog, '/admin/stock', timeoutMs)),
    ...endpoints.providers.map(({ name, admin }) => getJson<ProviderLedger>(name, admin, '/admin/charges', timeoutMs)),
    ...endpoints.carriers.map(({ name, admin }) => getJson<CarrierLedger>(name, admin, '/admin/shipments', timeoutMs)),
  ]);
  const values = unwrap([...orderReads, ...bookReads]);
  // Sent-unit counters again, now that every region's receipts have been read (see RegionSnapshot.sentLater).
  const sentReads = unwrap(
    await Promise.allSettled(endpoints.regions.map(({ region, catalog }) => getJson<StockReport>(`${region}/catalog`, catalog, '/admin/stock', timeoutMs))),
  ) as StockReport[];
  const regions = endpoints.regions.length;
  const orders = values.slice(0, regions) as { items: AuditedOrder[] }[];
  const stock = values.slice(regions, 2 * regions) as StockReport[];
  const ledgers = values.slice(2 * regions, 2 * regions + endpoints.providers.length) as ProviderLedger[];
  const carriers = values.slice(2 * regions + endpoints.providers.length) as CarrierLedger[];
  const providers: ProviderSnapshot[] = ledgers.map((ledger, i) => ({
    provider: endpoints.providers[i].name,
    charges: madeBy<Charge>(ledger.charges, takenAt),
    refunds: madeBy<Refund>(ledger.refunds, takenAt),
  }));
  return {
    takenAt,
    regions: endpoints.regions.map(({ region }, i) => ({
      region,
      orders: orders[i].items,
      stock: stock[i].items,
      reservations: madeBy(stock[i].reservations, takenAt),
      sentLater: Object.fromEntries(sentReads[i].items.map((level) => [level.productId, level.transferredOut])),
    })),
    providers,
    shipments: carriers.flatMap((ledger) => madeBy(ledger.shipments, takenAt)),
  };
}
