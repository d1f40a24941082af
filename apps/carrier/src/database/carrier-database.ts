import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { openDatabase, Readiness, SERVICE_ENV } from '@keel/service-kit';
import type { CarrierEnv } from '../carrier.env';
import { migrateShipments } from './shipments-schema';

/**
 * The carrier's books: `<KEEL_DATA_DIR>/<instance>.db`. Opened in the constructor so the
 * shipment book can prepare its statements in its own; closed once the listener has stopped.
 */
@Injectable()
export class CarrierDatabase implements OnApplicationShutdown {
  readonly db: DatabaseSync;

  constructor(@Inject(SERVICE_ENV) env: CarrierEnv, @Inject(Readiness) readiness: Readiness) {
    this.db = openDatabase(join(env.KEEL_DATA_DIR, `${env.KEEL_INSTANCE}.db`));
    migrateShipments(this.db);
    readiness.add('database', () => {
      this.db.prepare('SELECT 1').get();
    });
  }

  onApplicationShutdown(): void {
    if (this.db.isOpen) this.db.close();
  }
}
