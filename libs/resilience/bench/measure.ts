/**
 * Timing helpers for the resilience benchmark: run a call many times, sequentially or with a
 * fixed number in flight, and report nanoseconds per call.
 */

export type Call = () => Promise<unknown>;

/** Nanoseconds per call over `calls` calls, `inFlight` at a time (1 = strictly one after another). */
export async function nsPerCall(call: Call, calls: number, inFlight: number): Promise<number> {
  const started = process.hrtime.bigint();
  if (inFlight === 1) {
    for (let i = 0; i < calls; i++) await call();
  } else {
    const batch: Promise<unknown>[] = new Array<Promise<unknown>>(inFlight);
    for (let done = 0; done < calls; done += inFlight) {
      for (let j = 0; j < inFlight; j++) batch[j] = call();
      await Promise.all(batch);
    }
  }
  return Number(process.hrtime.bigint() - started) / calls;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** A small seeded PRNG (mulberry32), so the simulated failures are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Pads cells into a fixed-width text table. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
