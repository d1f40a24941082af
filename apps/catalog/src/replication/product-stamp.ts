/**
 * When and where a product change was made: the order of changes for last-writer-wins. Later
 * `updatedAt` wins; on an exact tie the greater region name wins, so both regions pick the same
 * winner whatever order the changes reach them in. Wall clocks drift between regions, so "last"
 * is the writer's clock, bounded below by what the writer had already seen (see `nextStamp`).
 */
export interface ProductStamp {
  /** Milliseconds since the epoch. */
  at: number;
  region: string;
}

export function isNewer(candidate: ProductStamp, current: ProductStamp): boolean {
  return candidate.at > current.at || (candidate.at === current.at && candidate.region > current.region);
}

/**
 * The stamp of a local change: now, but never at or before the newest change already applied to
 * the product. Otherwise a region whose clock runs behind would write a change that it shows but
 * that its peer, holding a "newer" stamp, ignores: the regions would disagree for good.
 */
export function nextStamp(region: string, newestSeen: ProductStamp, now = Date.now()): ProductStamp {
  return { at: Math.max(now, newestSeen.at + 1), region };
}

export function stampOf(updatedAt: string, region: string): ProductStamp {
  return { at: Date.parse(updatedAt), region };
}

export function isoOf(stamp: ProductStamp): string {
  return new Date(stamp.at).toISOString();
}
