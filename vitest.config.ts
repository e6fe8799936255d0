import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // Tests run linea from src/ (no build needed): `linea` in the example pipeline (steps/) means src/index.ts.
  // Only test/package/ uses the built package, as a user would.
  resolve: { alias: [{ find: /^linea$/, replacement: fileURLToPath(new URL("./src/index.ts", import.meta.url)) }] },
  test: {
    include: ["test/**/*.test.ts"],
    // Real DuckDB, real files, real HTTP: generous limits, but no test relies on timing to pass.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The JSON report is what .ci/run reads its "N passed, N failed" line from.
    // Says once, in one line, how to run the tests that need Redis or PostgreSQL when they will skip.
    globalSetup: ["test/helpers/service-notice.ts"],
    reporters: ["default", ["json", { outputFile: ".ci/out/vitest.json" }]],
  },
});
