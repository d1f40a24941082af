import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { CarrierLedger } from '@keel/contracts';
import { AdminRoutes, SERVICE_ENV } from '@keel/service-kit';
import type { CarrierEnv } from './carrier.env';
import { ShipmentLedger } from './shipments/shipment-ledger';

/** Admin-port routes: every shipment, for the audit (fault controls come with FaultsModule). */
@Injectable()
export class CarrierAdmin implements OnModuleInit {
  constructor(
    @Inject(AdminRoutes) private readonly routes: AdminRoutes,
    @Inject(ShipmentLedger) private readonly ledger: ShipmentLedger,
    @Inject(SERVICE_ENV) private readonly env: CarrierEnv,
  ) {}

  onModuleInit(): void {
    this.routes.add('GET', '/admin/shipments', (): CarrierLedger => ({
      carrier: this.env.KEEL_INSTANCE,
      shipments: this.ledger.allShipments(),
    }));
  }
}
