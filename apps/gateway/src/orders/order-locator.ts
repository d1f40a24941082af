import { Inject, Injectable, Logger } from '@nestjs/common';
import { regionOfOrder, type Order } from '@keel/contracts';
import { DependencyError, problem, SERVICE_ENV, type HttpDependency } from '@keel/service-kit';
import { DownstreamServices } from '../downstream/downstream-services';
import { fetchOrProblem } from '../downstream/relay-answer';
import type { GatewayEnv } from '../gateway.env';

/** An order and where it was read: its home region (the truth), or this region's replica of it. */
export interface LocatedOrder {
  order: Order;
  source: 'home' | 'replica';
}

/**
 * Reads an order from the region that owns it. Orders are homed where they were placed (their id
 * says where), so a client that fails over to the other region still finds its order: that
 * region's gateway asks the owner's checkout over the inter-region link, and when the owner
 * cannot answer, this region's checkout answers from the replica it keeps of the owner's order
 * events (eventually consistent: it may lag the owner by the replication delay).
 */
@Injectable()
export class OrderLocator {
  private readonly logger = new Logger(OrderLocator.name);

  constructor(
    @Inject(SERVICE_ENV) private readonly env: GatewayEnv,
    private readonly downstream: DownstreamServices,
  ) {}

  async find(orderId: string): Promise<LocatedOrder> {
    const home = this.checkoutOwning(orderId);
    if (home === this.downstream.checkout) return { order: await fetchOrProblem(home.get<Order>(this.path(orderId))), source: 'home' };
    try {
      return { order: await home.get<Order>(this.path(orderId)), source: 'home' };
    } catch (error) {
      if (!(error instanceof DependencyError)) throw error;
      // The owner's 4xx (a 404) is the answer; only an owner that cannot answer sends us to the replica.
      const ownerAnswered = error.status !== undefined && error.status < 500 && error.status !== 429;
      if (ownerAnswered) throw error.toProblemException();
      const replica = await this.fromReplica(orderId);
      if (!replica) throw error.toProblemException();
      this.logger.warn({ orderId, reason: error.message }, 'owner region unavailable: order read from the local replica');
      return { order: replica, source: 'replica' };
    }
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

  private async fromReplica(orderId: string): Promise<Order | undefined> {
    try {
      return await this.downstream.checkout.get<Order>(this.path(orderId));
    } catch {
      return undefined;
    }
  }

  private path(orderId: string): string {
    return `/orders/${encodeURIComponent(orderId)}`;
  }
}
