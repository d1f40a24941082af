import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Res, UseInterceptors } from '@nestjs/common';
import { ApiHeader, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { IDEMPOTENCY_KEY_HEADER, type Shipment, type ShipmentList } from '@keel/contracts';
import { FaultExempt, FaultInterceptor, requireIdempotencyKey } from '@keel/service-kit';
import { idempotencyKeyRequired, referenceRequired } from '../carrier.problems';
import { ShipmentRequestDto } from './shipment-request.dto';
import { Shipments } from './shipments';

/** Longest Idempotency-Key accepted (a key is stored with every write). */
const MAX_KEY_LENGTH = 200;

/** The carrier's public API. Writes go through injected faults first, so a faulted call changes nothing. */
@ApiTags('shipments')
@Controller('shipments')
export class ShipmentsController {
  constructor(@Inject(Shipments) private readonly shipments: Shipments) {}

  /** 201 when scheduled now, 200 when the key had already scheduled this shipment. */
  @Post()
  @UseInterceptors(FaultInterceptor)
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'Unique per intended shipment; a retry with the same key is answered, never scheduled twice' })
  schedule(@Headers(IDEMPOTENCY_KEY_HEADER) header: string | undefined, @Body() body: ShipmentRequestDto, @Res({ passthrough: true }) reply: FastifyReply): Shipment {
    const { shipment, created } = this.shipments.schedule(requireIdempotencyKey(header, MAX_KEY_LENGTH, idempotencyKeyRequired), body);
    reply.status(created ? 201 : 200);
    return shipment;
  }

  /** Idempotent without a key: cancelling twice answers the same. A carrier always lets you cancel, so `decline` never hits it. */
  @Post(':id/cancel')
  @HttpCode(200)
  @UseInterceptors(FaultInterceptor)
  @FaultExempt('decline')
  cancel(@Param('id') shipmentId: string): Shipment {
    return this.shipments.cancel(shipmentId);
  }

  @Get()
  @ApiQuery({ name: 'reference', required: true })
  list(@Query('reference') reference: string | undefined): ShipmentList {
    if (!reference) throw referenceRequired();
    return { items: this.shipments.shipmentsFor(reference) };
  }

  @Get(':id')
  get(@Param('id') shipmentId: string): Shipment {
    return this.shipments.shipment(shipmentId);
  }
}
