import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls until check() returns a value other than undefined/false, and returns it; throws with describe() after the
 * timeout. The way a test waits for something the product gives no signal for: the condition itself, with a deadline.
 */
export async function until<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
  describe: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) {
      const extra = describe();
      throw new Error(`${what}: not after ${timeoutMs} ms${extra ? `\n${extra}` : ''}`);
    }
    await sleep(25);
  }
}

/** Whether a GET of the URL answers 2xx (false while nothing listens there yet). */
export function answersOk(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(2000) }).then(
    async (res) => {
      await res.arrayBuffer();
      return res.ok;
    },
    () => false,
  );
}
