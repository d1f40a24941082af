/**
 * A count of events over the last `windowMs`, kept in `bucketMs` buckets on a ring. A bucket is
 * recognised by the time slice it belongs to, so after a quiet spell old counts are ignored by
 * time alone. (cockatiel's SamplingBreaker advances one bucket per event instead: after an idle
 * hour its old failures still count, and a single new failure can open the circuit.)
 */
export class RollingCounter {
  private readonly slices: Float64Array;
  private readonly counts: Float64Array;

  constructor(
    windowMs: number,
    private readonly bucketMs: number,
  ) {
    const buckets = Math.max(1, Math.ceil(windowMs / bucketMs));
    this.slices = new Float64Array(buckets).fill(-1);
    this.counts = new Float64Array(buckets);
  }

  add(now: number, amount = 1): void {
    const slice = Math.floor(now / this.bucketMs);
    const index = slice % this.slices.length;
    if (this.slices[index] !== slice) {
      this.slices[index] = slice;
      this.counts[index] = 0;
    }
    this.counts[index] += amount;
  }

  /** Events in the current bucket and the ones before it, up to the window's length. */
  sum(now: number): number {
    const newest = Math.floor(now / this.bucketMs);
    const oldest = newest - this.slices.length;
    let total = 0;
    for (let i = 0; i < this.slices.length; i++) {
      const slice = this.slices[i];
      if (slice > oldest && slice <= newest) total += this.counts[i];
    }
    return total;
  }

  reset(): void {
    this.slices.fill(-1);
    this.counts.fill(0);
  }
}
