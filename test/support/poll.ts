/**
 * Waits for a condition the system reaches on its own (a read model catching up, a reactor
 * acting), probing every 25 ms; the deadline only bounds a test that would otherwise hang.
 */
export async function poll<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
