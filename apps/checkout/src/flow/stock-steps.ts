import { Inject, Injectable } from '@nestjs/common';
import type { ProblemDetails } from '@keel/service-kit';
import { CatalogClient } from '../dependencies/catalog.client';
import type { OrderRecord } from '../orders/order-record';
import { advance, compensationsFor, fail, next, wait, type StepOutcome } from './step-outcome';

/** Reserve stock (forward) and release it (compensation); catalog keys the reservation by the order id. */
@Injectable()
export class StockSteps {
  constructor(@Inject(CatalogClient) private readonly catalog: CatalogClient) {}

  async reserve(order: OrderRecord): Promise<StepOutcome> {
    const outcome = await this.catalog.reserve(order.id, order.items);
    if (outcome.kind === 'reserved') return next({ nextStep: 'charge-payment' });
    // Catalog reserves all lines or none, so a refusal leaves nothing to give back.
    if (outcome.kind === 'refused') return fail(order, outcome.problem.type.replace(/^\/problems\//, ''), outcome.problem, compensationsFor(order, false));
    // No answer: a late reservation may still land, so it is released (releasing nothing is harmless).
    const problem: ProblemDetails = { type: '/problems/dependency-unavailable', title: 'catalog is unavailable', status: 503, detail: outcome.reason, dependency: 'catalog' };
    return fail(order, 'catalog-unavailable', problem, compensationsFor(order, true));
  }

  async release(order: OrderRecord): Promise<StepOutcome> {
    return (await this.catalog.release(order.id)) ? advance(order) : wait('catalog did not confirm the release');
  }
}
