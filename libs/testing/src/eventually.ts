/** Polls `probe` until it returns true, for at most `timeoutMs`; false if it never did. */
export async function eventually(probe: () => boolean | Promise<boolean>, timeoutMs = 5_000, everyMs = 25): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return false;
}
