import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { EVENT_DATA } from '@keel/contracts';
import { AdminRoutes, problem } from '@keel/service-kit';
import { ProductUpdates, type ProductChanges } from './product-updates';

/** The body `PUT /admin/products/:id` takes: the event's own `changes` schema, so what is accepted is what replicates. */
const changesSchema = EVENT_DATA['product.updated'].shape.changes;

/** Parses a change request, or throws a 400 problem naming every bad field. */
export function parseProductChanges(body: unknown): ProductChanges {
  const result = changesSchema.safeParse(body);
  if (!result.success) {
    const errors = result.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
    throw problem(400, 'validation', 'Product changes are not valid', errors.join('; '), { errors });
  }
  return result.data;
}

/**
 * Admin-port route for operators (and tests, chaos): change a product's price, name or description
 * in this region; the change reaches the other region as `product.updated`. 200 with the product
 * and its new version, 400 for a bad body, 404 for an unknown product.
 */
@Injectable()
export class ProductAdmin implements OnModuleInit {
  constructor(
    @Inject(AdminRoutes) private readonly routes: AdminRoutes,
    @Inject(ProductUpdates) private readonly updates: ProductUpdates,
  ) {}

  onModuleInit(): void {
    this.routes.add('PUT', '/admin/products/:id', ({ params, body }) => this.updates.update(params.id, parseProductChanges(body)));
  }
}
