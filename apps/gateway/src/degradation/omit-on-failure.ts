/** A Tier-2 result: the value, or the stand-in plus the name of the feature that was left out. */
export interface Degradable<T> {
  value: T;
  /** Set when the feature failed and `value` is the stand-in. */
  degraded?: string;
}

/**
 * The gateway's only fallback for now: omit the feature and say so. libs/resilience later brings
 * the full tiered chain (local → other region → last-good cache → static default → omit with
 * notice); swapping it in means replacing this one function. The call's own timeout bounds the
 * wait, so a slow Tier-2 service costs a page that much and no more.
 */
export async function omitOnFailure<T>(feature: string, call: () => Promise<T>, standIn: T, onFailure?: (error: unknown) => void): Promise<Degradable<T>> {
  try {
    return { value: await call() };
  } catch (error) {
    onFailure?.(error);
    return { value: standIn, degraded: feature };
  }
}
