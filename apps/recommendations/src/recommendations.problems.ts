import { problem, ProblemException } from '@keel/service-kit';

export function productNotFound(productId: string): ProblemException {
  return problem(404, 'product-not-found', 'Product not found', `no product with id ${productId} in the catalog snapshot`, { productId });
}

/** Only before the first snapshot has loaded; readiness keeps balanced traffic away meanwhile. */
export function snapshotNotLoaded(): ProblemException {
  return new ProblemException(
    { type: '/problems/catalog-snapshot-unavailable', title: 'Catalog snapshot not loaded yet', status: 503, detail: 'this instance has not yet loaded the catalog; retry shortly' },
    { 'retry-after': '1' },
  );
}
