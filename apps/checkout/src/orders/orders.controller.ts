import { Body, Controller, Get, Headers, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { IDEMPOTENCY_KEY_HEADER, regionOfOrder, type Order } from '@keel/contracts';
import { failureAnswer, idempotencyKeyRequired, invalidOrderId, orderNotFound } from '../checkout.problems';
import { CheckoutRequestDto } from './checkout-request.dto';
import { toOrder } from './order-record';
import { OrdersRepository } from './orders.repository';
import { ReplicatedOrders } from '../replica/replicated-orders';
import { PlaceOrder } from './place-order';

const MAX_KEY_LENGTH = 200;

@ApiTags('orders')
@Controller('orders')
export class OrdersController {
  constructor(
    @Inject(PlaceOrder) private readonly placeOrder: PlaceOrder,
    @Inject(OrdersRepository) private readonly orders: OrdersRepository,
    @Inject(ReplicatedOrders) private readonly replicated: ReplicatedOrders,
  ) {}

  /**
   * 201 confirmed; 202 accepted but not finished: `pending` (a step is being retried, e.g. a
   * charge with no known outcome yet) or `payment-pending` (no provider could take the charge; it
   * is charged from the queue). A failed order answers its problem (409 stock, 402 declined, 422
   * shipping refused, 503 unavailable). A repeated key answers the stored order: 200, or 202 while
   * it is not finished.
   */
  @Post()
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: '1..200 characters; the same key returns the same order and never charges twice' })
  async create(@Headers(IDEMPOTENCY_KEY_HEADER) key: string | undefined, @Body() body: CheckoutRequestDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<Order> {
    if (!key || key.length > MAX_KEY_LENGTH) throw idempotencyKeyRequired();
    const { order, replayed } = await this.placeOrder.place(key, body);
    if (order.status === 'pending' || order.status === 'payment-pending') reply.status(202);
    else if (replayed) reply.status(200);
    else if (order.status === 'failed') throw failureAnswer(order.failure ?? { type: '/problems/order-failed', title: 'Order failed', status: 500, orderId: order.id });
    else reply.status(201);
    return toOrder(order);
  }

  /**
   * An order of this region, or, for one the other region owns, its replica here (eventually
   * consistent: `x-order-source: replica` says so). The gateway asks the owner first.
   */
  @Get(':id')
  get(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply): Order {
    if (!regionOfOrder(id)) throw invalidOrderId(id);
    const order = this.orders.findById(id);
    if (order) return toOrder(order);
    const replica = this.replicated.find(id);
    if (!replica) throw orderNotFound(id);
    reply.header('x-order-source', 'replica');
    return replica;
  }
}
