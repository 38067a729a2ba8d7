import type { Ack } from '@parley/contracts';

/** Waits before retry n (0-based): 0.5 s, 1 s, 2 s, … up to 30 s. */
export const retryDelayMs = (attempt: number) => Math.min(30_000, 500 * 2 ** attempt);

/**
 * Asks until the answer is ok or says retrying will not help, waiting longer after each
 * retryable failure (an error ack, a timeout, the server busy). Gives up, with null, as soon
 * as `stillWanted` says so (the connection dropped: the next connection asks again).
 */
export async function askUntilAnswered<T>(
  ask: () => Promise<Ack<T>>,
  stillWanted: () => boolean,
  wait: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<Ack<T> | null> {
  for (let attempt = 0; stillWanted(); attempt++) {
    const answer = await ask();
    if (answer.ok || !answer.error.retryable) return answer;
    await wait(retryDelayMs(attempt));
  }
  return null;
}
