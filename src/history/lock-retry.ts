import { errorMessage } from "../util/error-message.js";
import { sleep } from "../util/sleep.js";
import { HistoryLockedError } from "./history-errors.js";

/** How long a history access waits for other processes' locks before it gives up. @default 30 s */
export const DEFAULT_LOCK_TIMEOUT_MS = 30_000;

const FIRST_DELAY_MS = 10;
const MAX_DELAY_MS = 500;

/**
 * True for DuckDB's refusal to open a file another process holds read-write: `IO Error: Could not set lock
 * on file "...": Conflicting lock is held in ... (PID 123)`.
 */
export function isLockConflict(error: unknown): boolean {
  return /could not set lock on file|conflicting lock/i.test(errorMessage(error));
}

/**
 * The wait before try `n + 1` (from 1): doubling from 10 ms up to 500 ms, each drawn from its upper half, so
 * that processes waiting on one another spread out instead of retrying in step.
 */
export function lockRetryDelay(tries: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, tries - 1));
  return ceiling / 2 + random() * (ceiling / 2);
}

/**
 * Calls `open` until it succeeds, retrying while it fails on another process's lock, for at most
 * `timeoutMs`. Any other error is thrown at once.
 *
 * @throws HistoryLockedError once the time is up.
 */
export async function retryOnLock<T>(dbPath: string, timeoutMs: number, open: () => Promise<T>): Promise<T> {
  const started = performance.now();
  for (let tries = 1; ; tries++) {
    try {
      return await open();
    } catch (error) {
      if (!isLockConflict(error)) throw error;
      const waited = performance.now() - started;
      if (waited >= timeoutMs) throw new HistoryLockedError(dbPath, Math.round(waited), error);
      await sleep(Math.min(lockRetryDelay(tries), timeoutMs - waited));
    }
  }
}
