import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * Test files that change what every module sees: they replace modules (vi.mock) or register engines in
 * linea's registry. They get a module graph of their own.
 */
function isolatedFiles(): string[] {
  const changesModules = (text: string): boolean => text.includes("vi.mock(") || text.includes("registerEngine(");
  return (readdirSync("test", { recursive: true, encoding: "utf8" }) as string[])
    .filter((f) => f.endsWith(".test.ts") && changesModules(readFileSync(`test/${f}`, "utf8")))
    .map((f) => `test/${f.split("\\").join("/")}`);
}

const isolated = isolatedFiles();

export default defineConfig({
  // Tests run linea from src/ (no build needed): `linea` in the example pipeline (steps/) means src/index.ts.
  // Only test/package/ uses the built package, as a user would.
  resolve: { alias: [{ find: /^linea$/, replacement: fileURLToPath(new URL("./src/index.ts", import.meta.url)) }] },
  test: {
    // Real DuckDB, real files, real HTTP: generous limits, but no test relies on timing to pass.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two workers on two cores: many tests wait on child processes, files and sockets (vitest's default
    // here would be one).
    maxWorkers: 2,
    // The JSON report is what .ci/run reads its "N passed, N failed" line from.
    // Says once, in one line, how to run the tests that need Redis or PostgreSQL when they will skip.
    globalSetup: ["test/helpers/service-notice.ts"],
    // Runs before every test file (shared modules or not): the hooks that clean up after the helpers (cleanup.ts).
    setupFiles: ["test/helpers/cleanup-hooks.ts"],
    reporters: ["default", ["json", { outputFile: ".ci/out/vitest.json" }]],
    projects: [
      {
        // Test files share a worker's modules: importing linea's graph (DuckDB, Arrow, the AWS SDK...) once
        // per worker instead of once per file halves the suite's time. Tests leave no global state behind
        // (temporary folders, fake timers and env vars are restored after each test).
        extends: true,
        test: { name: "linea", include: ["test/**/*.test.ts"], exclude: isolated, isolate: false },
      },
      // A file that mocks a module or registers an engine gets fresh modules of its own.
      ...(isolated.length > 0 ? [{ extends: true as const, test: { name: "isolated", include: isolated, isolate: true } }] : []),
    ],
  },
});
