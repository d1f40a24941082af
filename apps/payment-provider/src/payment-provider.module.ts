import { Module } from '@nestjs/common';
import { FaultsModule } from '@keel/service-kit';
import { ChargesController } from './charges/charges.controller';
import { Ledger } from './charges/ledger';
import { Payments } from './charges/payments';
import { ProviderDatabase } from './database/provider-database';
import { paymentDeclined, providerRefusing, providerUnavailable } from './payment-provider.problems';
import { ProviderAdmin } from './provider-admin';

/** A stand-in for an external payment company: idempotent charges and refunds, faults on demand. Wiring only. */
@Module({
  imports: [FaultsModule.forRoot({ fail: providerUnavailable, refuse: providerRefusing, decline: paymentDeclined })],
  controllers: [ChargesController],
  providers: [ProviderDatabase, Ledger, Payments, ProviderAdmin],
})
export class PaymentProviderModule {}
