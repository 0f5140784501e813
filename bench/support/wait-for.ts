/** Polls `ready` until it returns true; `ready` may throw to give up at once (a child that died). */
export async function waitFor(what: string, timeoutMs: number, ready: () => Promise<boolean> | boolean, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await ready()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
