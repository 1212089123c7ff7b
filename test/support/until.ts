// Bounded waits for the tests: poll a condition, never sleep a guessed time.

/**
 * Polls `probe` every `everyMs` until it is true, failing with `what` after `ms`, and with what
 * `seen` reports at that moment, if given.
 */
export async function until(
  what: string,
  ms: number,
  probe: () => boolean | Promise<boolean>,
  seen?: () => Promise<string>,
  everyMs = 250,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) {
      const state = seen ? `; what was seen then:\n${await seen().catch((err: Error) => `(could not look: ${err.message})`)}` : "";
      throw new Error(`timed out after ${ms} ms waiting until ${what}${state}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
