import { Body, Controller, Get, Headers, Inject, Param, Post, Query, Res, UseInterceptors } from '@nestjs/common';
import { ApiHeader, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { IDEMPOTENCY_KEY_HEADER, type Charge, type ChargeList, type Refund } from '@keel/contracts';
import { FaultInterceptor, problem, requireIdempotencyKey } from '@keel/service-kit';
import { idempotencyKeyRequired } from '../payment-provider.problems';
import { ChargeRequestDto, RefundRequestDto } from './charge-request.dto';
import { Payments } from './payments';

/** Longest Idempotency-Key accepted (a key is stored with every write). */
const MAX_KEY_LENGTH = 255;

const IDEMPOTENCY_HEADER_DOC = { name: 'Idempotency-Key', required: true, description: 'Unique per intended payment; a retry with the same key is answered, never applied twice' };

/** The provider's public API. Writes go through injected faults first, so a failed call changes nothing. */
@ApiTags('charges')
@Controller('charges')
export class ChargesController {
  constructor(@Inject(Payments) private readonly payments: Payments) {}

  /** 201 when captured now, 200 when the key had already captured this charge. */
  @Post()
  @UseInterceptors(FaultInterceptor)
  @ApiHeader(IDEMPOTENCY_HEADER_DOC)
  capture(@Headers(IDEMPOTENCY_KEY_HEADER) header: string | undefined, @Body() body: ChargeRequestDto, @Res({ passthrough: true }) reply: FastifyReply): Charge {
    const { result, created } = this.payments.capture(requireIdempotencyKey(header, MAX_KEY_LENGTH, idempotencyKeyRequired), body);
    reply.status(created ? 201 : 200);
    return result;
  }

  @Post(':id/refunds')
  @UseInterceptors(FaultInterceptor)
  @ApiHeader(IDEMPOTENCY_HEADER_DOC)
  refund(
    @Param('id') chargeId: string,
    @Headers(IDEMPOTENCY_KEY_HEADER) header: string | undefined,
    @Body() body: RefundRequestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Refund {
    const { result, created } = this.payments.refund(chargeId, requireIdempotencyKey(header, MAX_KEY_LENGTH, idempotencyKeyRequired), body);
    reply.status(created ? 201 : 200);
    return result;
  }

  @Get()
  @ApiQuery({ name: 'reference', required: true })
  list(@Query('reference') reference: string | undefined): ChargeList {
    if (!reference) throw problem(400, 'reference-required', 'reference query parameter required', 'GET /charges?reference=<what the charge is for>');
    return { items: this.payments.chargesFor(reference) };
  }

  @Get(':id')
  get(@Param('id') chargeId: string): Charge {
    return this.payments.charge(chargeId);
  }
}
