/**
 * Is anything answering at the target? One request to the product list, before a run starts,
 * so an unreachable target fails in a second with a sentence instead of a minute of
 * connection errors. Any HTTP answer counts (a 503 is the stack's problem to show, not ours).
 * Returns null when reachable, or why not.
 */
export async function unreachableReason(target: string, timeoutMs = 3000): Promise<string | null> {
  try {
    const res = await fetch(new URL('/api/products?limit=1', target), { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return null;
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if ((error as Error).name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
    return cause?.code ?? cause?.message ?? (error as Error).message;
  }
}
