/**
 * Waits for `promise` to settle, but no longer than `ms` milliseconds: resolves `true` when it settled
 * (either way) in time, `false` when the time ran out first. Never rejects; the timer does not keep the
 * process alive.
 */
export function settleWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    timer.unref();
    promise.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(true);
      },
    );
  });
}
