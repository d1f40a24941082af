import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AdminRoutes } from '@keel/service-kit';
import { RegionTable } from './region-table';

/** `GET /admin/regions` on edge's admin port: which regions are in rotation and why. */
@Injectable()
export class RegionsAdmin implements OnModuleInit {
  constructor(
    private readonly admin: AdminRoutes,
    private readonly regions: RegionTable,
  ) {}

  onModuleInit(): void {
    this.admin.add('GET', '/admin/regions', () => ({
      defaultRegion: this.regions.defaultRegion,
      regions: this.regions.all().map(({ name, url, routable, lastChange }) => ({ name, url, routable, lastChange })),
    }));
  }
}
