import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Real DuckDB, real files, real HTTP: generous limits, but no test relies on timing to pass.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The JSON report is what .ci/run reads its "N passed, N failed" line from.
    reporters: ["default", ["json", { outputFile: ".ci/out/vitest.json" }]],
  },
});
