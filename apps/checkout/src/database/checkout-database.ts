import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { openDatabase, Readiness, SERVICE_ENV } from '@keel/service-kit';
import type { CheckoutEnv } from '../checkout.env';
import { migrateOrders } from './orders-schema';

/**
 * Checkout's SQLite file, opened in the constructor so repositories can prepare statements in
 * theirs. Closed after the listener has stopped and the recovery loop has finished its pass.
 */
@Injectable()
export class CheckoutDatabase implements OnApplicationShutdown {
  readonly db: DatabaseSync;

  constructor(@Inject(SERVICE_ENV) env: CheckoutEnv, @Inject(Readiness) readiness: Readiness) {
    this.db = openDatabase(join(env.KEEL_DATA_DIR, 'checkout.db'));
    migrateOrders(this.db);
    readiness.add('database', () => {
      this.db.prepare('SELECT 1').get();
    });
  }

  onApplicationShutdown(): void {
    if (this.db.isOpen) this.db.close();
  }
}
