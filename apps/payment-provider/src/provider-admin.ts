import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ProviderLedger } from '@keel/contracts';
import { AdminRoutes, SERVICE_ENV } from '@keel/service-kit';
import { Ledger } from './charges/ledger';
import type { PaymentProviderEnv } from './payment-provider.env';

/** Admin-port routes: the whole ledger, for the money audit (fault controls come with FaultsModule). */
@Injectable()
export class ProviderAdmin implements OnModuleInit {
  constructor(
    @Inject(AdminRoutes) private readonly routes: AdminRoutes,
    @Inject(Ledger) private readonly ledger: Ledger,
    @Inject(SERVICE_ENV) private readonly env: PaymentProviderEnv,
  ) {}

  onModuleInit(): void {
    this.routes.add('GET', '/admin/charges', (): ProviderLedger => ({
      provider: this.env.KEEL_INSTANCE,
      charges: this.ledger.allCharges(),
      refunds: this.ledger.allRefunds(),
    }));
  }
}
