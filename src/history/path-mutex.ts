const tails = new Map<string, Promise<unknown>>();

/**
 * Runs `fn` once every earlier call for the same `key` has settled. DuckDB's file lock keeps other processes
 * out, but not this one: a second instance of the same file in one process opens without complaint, and two
 * writers would then corrupt it. Every access to a history database in this process goes through here.
 */
export function withPathMutex<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const tail = run.catch(() => undefined);
  tails.set(key, tail);
  void tail.then(() => {
    if (tails.get(key) === tail) tails.delete(key);
  });
  return run;
}
