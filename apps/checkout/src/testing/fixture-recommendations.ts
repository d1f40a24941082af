import type { OrderSignal } from '@keel/contracts';
import type { FixtureServer } from '@keel/testing';
import { startJsonServer } from './json-server';

/** A stand-in for recommendations that records the order signals it is sent. */
export async function startFixtureRecommendations(): Promise<FixtureServer & { signals: OrderSignal[] }> {
  const signals: OrderSignal[] = [];
  const server = await startJsonServer(({ method, path, body }) => {
    if (method !== 'POST' || path !== '/signals/orders') return undefined;
    signals.push(body as OrderSignal);
    return { status: 202, body: { accepted: true } };
  });
  return Object.assign(server, { signals });
}
