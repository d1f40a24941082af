import { Body, Controller, Headers, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiBody, ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiServiceUnavailableResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { IDEMPOTENCY_KEY_HEADER, type Order } from '@keel/contracts';
import { ServesFeature } from '@keel/service-kit';
import { DownstreamServices } from '../downstream/downstream-services';
import { relay } from '../downstream/relay-answer';
import { ProblemDto, ValidationProblemDto } from '../openapi/problem.dto';
import { OrderDto } from '../orders/order.dto';
import { CheckoutRequestDto } from './checkout.requests';
import { requireIdempotencyKey } from './idempotency-key';

@ApiTags('checkout')
@Controller('api/checkout')
export class CheckoutController {
  constructor(private readonly downstream: DownstreamServices) {}

  @Post()
  @ServesFeature('checkout')
  @ApiOperation({
    summary: 'Place an order',
    description: 'Forwarded to this region’s checkout with the same Idempotency-Key: the same key always yields the same order and never a second charge.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'Unique per checkout attempt; reuse it when retrying' })
  @ApiBody({ type: CheckoutRequestDto })
  @ApiCreatedResponse({ type: OrderDto, description: 'Order placed' })
  @ApiOkResponse({ type: OrderDto, description: 'Replay: the order this key already placed' })
  @ApiAcceptedResponse({ type: OrderDto, description: 'Accepted, still being processed' })
  @ApiBadRequestResponse({ type: ValidationProblemDto, description: 'Body not valid or Idempotency-Key missing' })
  @ApiResponse({ status: 402, type: ProblemDto, description: 'Payment declined' })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'Unknown product' })
  @ApiConflictResponse({ type: ProblemDto, description: 'Not enough stock, or the key was used for a different request' })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: 'Order cannot be processed' })
  @ApiServiceUnavailableResponse({ type: ProblemDto, description: 'Checkout is unavailable; retry with the same key' })
  async checkout(
    @Headers(IDEMPOTENCY_KEY_HEADER) keyHeader: string | undefined,
    @Body() body: CheckoutRequestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderDto> {
    const key = requireIdempotencyKey(keyHeader);
    const answer = await relay(this.downstream.checkout, (checkout) => checkout.request<Order>('POST', '/orders', body, { headers: { [IDEMPOTENCY_KEY_HEADER]: key } }));
    reply.status(answer.status);
    return answer.body;
  }
}
