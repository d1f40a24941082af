import { Inject, Injectable } from '@nestjs/common';
import { regionOfOrder, type Order } from '@keel/contracts';
import { problem, SERVICE_ENV, type HttpDependency } from '@keel/service-kit';
import { DownstreamServices } from '../downstream/downstream-services';
import { fetchOrProblem } from '../downstream/relay-answer';
import type { GatewayEnv } from '../gateway.env';

/**
 * Reads an order from the region that owns it. Orders are homed where they were placed (their id
 * says where), so a client that fails over to the other region still finds its order: that
 * region's gateway asks the owner's checkout over the inter-region link.
 */
@Injectable()
export class OrderLocator {
  constructor(
    @Inject(SERVICE_ENV) private readonly env: GatewayEnv,
    private readonly downstream: DownstreamServices,
  ) {}

  find(orderId: string): Promise<Order> {
    return fetchOrProblem(this.checkoutOwning(orderId).get<Order>(`/orders/${encodeURIComponent(orderId)}`));
  }

  /** The checkout to ask: this region's, the peer's, or none (a problem) for an id naming neither. */
  checkoutOwning(orderId: string): HttpDependency {
    const region = regionOfOrder(orderId);
    if (!region) throw problem(400, 'invalid-order-id', 'Not an order id', 'order ids look like ord_<region>_<uuid>');
    if (region === this.env.KEEL_REGION) return this.downstream.checkout;
    const peerMatches = this.env.KEEL_PEER_REGION === undefined || this.env.KEEL_PEER_REGION === region;
    if (peerMatches && this.downstream.peerCheckout) return this.downstream.peerCheckout;
    throw problem(404, 'not-found', 'Order not found', `no region ${region} is reachable from ${this.env.KEEL_REGION}`);
  }
}
