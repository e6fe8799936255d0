/**
 * Background work being tracked: {@link add} takes a promise (its failure goes to `onError`, never thrown),
 * {@link settled} resolves once none is under way, including work added while it waits. A count and one
 * callback per piece of work: a set of promises with a `catch` and a `finally` each cost three promises a
 * piece, which a run of many small steps, keeping each result in the background, felt.
 */
export class PendingWork {
  private count = 0;
  private waiters: Array<() => void> = [];

  /** How many are under way. */
  get size(): number {
    return this.count;
  }

  add(work: Promise<unknown>, onError: (error: unknown) => void): void {
    this.count++;
    work.then(() => this.done(), (error: unknown) => {
      try {
        onError(error);
      } finally {
        this.done();
      }
    });
  }

  /** Resolves once no work is under way. */
  settled(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private done(): void {
    if (--this.count > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (let i = 0; i < waiters.length; i++) (waiters[i] as () => void)();
  }
}
