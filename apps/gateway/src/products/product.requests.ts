import { matching } from '@keel/service-kit';

/** Product ids are URL-safe printable ASCII; anything else cannot name a product and never leaves the gateway. */
export const PRODUCT_ID = /^[A-Za-z0-9][A-Za-z0-9._:~-]{0,127}$/;

/** The `:id` of the product routes, checked before any downstream call. */
export const productId = matching(PRODUCT_ID, 'id must be 1-128 characters of letters, digits and . _ : ~ -');
