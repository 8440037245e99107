/**
 * Runs `check` (an assertion) until it passes, or until `timeoutMs` has passed: then throws its last failure, so
 * the report shows what was last seen.
 */
export async function eventually<T>(check: () => Promise<T> | T, { timeoutMs = 5_000, intervalMs = 100 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
