import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ServesFeature } from '@keel/service-kit';
import { ProblemDto } from '../openapi/problem.dto';
import { OrderDto } from './order.dto';
import { OrderLocator } from './order-locator';

@ApiTags('orders')
@Controller('api/orders')
export class OrdersController {
  constructor(private readonly orders: OrderLocator) {}

  @Get(':id')
  @ServesFeature('orders')
  @ApiOperation({
    summary: 'Get an order',
    description:
      'Answers from either region: an order homed in the other region is read from there, or, when that region cannot answer, ' +
      'from this region’s replica of its events (`x-order-source: replica`; it may lag by the replication delay).',
  })
  @ApiParam({ name: 'id', example: 'ord_us-east_6f1c2b9e-3d4a-4b5c-8d7e-1f2a3b4c5d6e' })
  @ApiOkResponse({ type: OrderDto, headers: { 'x-order-source': { description: '`home` (read from the owning region) or `replica`', schema: { type: 'string' } } } })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'Not an order id' })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'No such order' })
  @ApiServiceUnavailableResponse({ type: ProblemDto, description: 'The owning region’s checkout is unavailable' })
  async get(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<OrderDto> {
    const { order, source } = await this.orders.find(id);
    reply.header('x-order-source', source);
    return order;
  }
}
