// Cleanups that helper modules register once, run by test/helpers/cleanup-hooks.ts (a setup file) after each
// test and after each file. Test files share a worker's modules (vitest.config.ts: isolate: false), so a
// helper module is evaluated once per worker: a hook it registered itself at its top level (afterEach(...))
// would belong to the first file that imported it only, and every later file would leak its temporary
// folders, worker processes, servers and schemas. A setup file runs again for every file: it holds the hooks.

type Cleanup = () => void | Promise<void>;

const afterTests: Cleanup[] = [];
const afterFiles: Cleanup[] = [];

/** Runs `cleanup` after every test of every file (registered once, by a helper module's top level). */
export function afterEachTest(cleanup: Cleanup): void {
  afterTests.push(cleanup);
}

/** Runs `cleanup` after every test file. */
export function afterEachFile(cleanup: Cleanup): void {
  afterFiles.push(cleanup);
}

/** Runs the cleanups last registered first: a helper that depends on another (workers write into temporary folders) is cleaned before it. */
async function runAll(cleanups: readonly Cleanup[]): Promise<void> {
  const errors: unknown[] = [];
  for (const cleanup of [...cleanups].reverse()) {
    try {
      await cleanup();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) throw errors[0];
}

export const runAfterEachTest = (): Promise<void> => runAll(afterTests);
export const runAfterEachFile = (): Promise<void> => runAll(afterFiles);
