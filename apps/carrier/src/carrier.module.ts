import { Module } from '@nestjs/common';
import { FaultsModule } from '@keel/service-kit';
import { CarrierAdmin } from './carrier-admin';
import { carrierRefusing, carrierUnavailable, shipmentRefused } from './carrier.problems';
import { CarrierDatabase } from './database/carrier-database';
import { ShipmentLedger } from './shipments/shipment-ledger';
import { Shipments } from './shipments/shipments';
import { ShipmentsController } from './shipments/shipments.controller';

/** A stand-in for an external shipping carrier: idempotent scheduling, cancels, faults on demand. Wiring only. */
@Module({
  imports: [FaultsModule.forRoot({ fail: carrierUnavailable, refuse: carrierRefusing, decline: shipmentRefused })],
  controllers: [ShipmentsController],
  providers: [CarrierDatabase, ShipmentLedger, Shipments, CarrierAdmin],
})
export class CarrierModule {}
