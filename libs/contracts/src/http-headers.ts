/**
 * Set on a response the load shedder refused (503 `/problems/overloaded`), to the refused tier.
 * It tells edge the instance is overloaded, not broken: taking the region out of rotation (or
 * sending the request to the other region) would move the overload there.
 */
export const SHED_TIER_HEADER = 'x-shed-tier';
