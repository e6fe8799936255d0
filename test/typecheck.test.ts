import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, it } from "vitest";

// Type-level tests (`@ts-expect-error`, `expectTypeOf`) only bite when the compiler runs over them.
// tsc over the whole project takes ~20 s on an idle machine and several times that on a busy one: the limit is
// there only to stop a hung compiler, not to judge speed.
it("the whole project type-checks under strict settings", { timeout: 600_000 }, async () => {
  // Incremental: a rerun checks again only what changed since the last (its build info is kept under .linea/).
  const args = ["node_modules/typescript/bin/tsc", "--noEmit", "-p", ".", "--incremental", "--tsBuildInfoFile", ".linea/typecheck.tsbuildinfo"];
  const result = await promisify(execFile)(process.execPath, args, {
    cwd: new URL("..", import.meta.url).pathname,
  }).then(
    () => ({ code: 0, output: "" }),
    (error: { code?: number; stdout?: string }) => ({ code: error.code ?? 1, output: error.stdout ?? "" }),
  );
  expect(result.output).toBe("");
  expect(result.code).toBe(0);
});
