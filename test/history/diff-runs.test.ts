import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diffRuns, RunHistory, type Step } from "../../src/index.js";
import { tempDir, testOrchestrator } from "../helpers/temp-dir.js";
import { linea } from "../cli/cli-helpers.js";

function steps(sql: string, checkValues: string[]): Step[] {
  return [
    { name: "read_orders", read: "data/orders.csv", outputs: ["orders"] },
    {
      name: "completed", inputs: ["orders"], outputs: ["completed"], sql,
      checks: [{ kind: "accepted_values", column: "status", values: checkValues, severity: "warn" }],
    },
    { name: "big", inputs: { c: "completed" }, outputs: ["big"], sql: "SELECT * FROM c WHERE qty >= $min_qty" },
  ];
}

describe("diffRuns", () => {
  it("says per step what changed between two runs, and why each key changed", async () => {
    const dir = tempDir("linea-diff-");
    mkdirSync(join(dir, "data"));
    writeFileSync(join(dir, "data/orders.csv"), "id,qty,status\n1,5,completed\n2,1,pending\n3,7,completed\n");
    const historyDb = join(dir, "history.duckdb");
    const base = { baseDir: dir, historyDb, cache: true, cacheDir: join(dir, "cache") };
    const a = await testOrchestrator({ ...base, steps: steps("SELECT id, qty, status FROM orders WHERE status = 'completed'", ["completed"]), params: { min_qty: 1 } }).execute();
    const b = await testOrchestrator({
      ...base, steps: steps("SELECT id, qty::DOUBLE AS qty, 'x' AS status, 1 AS one FROM orders", ["completed"]), params: { min_qty: 6 },
    }).execute();
    const history = new RunHistory(historyDb);
    const diff = diffRuns((await history.run(a.runId))!, (await history.run(b.runId))!);
    expect(diff.a.runId).toBe(a.runId);
    const [read, completed, big] = diff.steps;
    expect(read).toMatchObject({ step: "read_orders", status: { a: "success", b: "cached" }, key: { changed: false, causes: [] } });
    expect(completed).toMatchObject({
      step: "completed", rows: { a: 2, b: 3 },
      schema: [{ dataset: "completed", added: ["one"], removed: [], changed: [{ column: "qty", from: "BIGINT", to: "DOUBLE" }] }],
      checks: [{ name: "accepted_values(status)", dataset: "completed", from: "pass", to: "fail" }],
      key: { changed: true, causes: ["code"], changedInputs: [] },
      differs: true,
    });
    expect(big).toMatchObject({ step: "big", rows: { a: 2, b: 1 }, key: { changed: true, causes: ["params", "inputs"], changedInputs: ["c"] } });

    const cli = await linea(dir, ["diff", a.runId, b.runId, "--history", historyDb]);
    expect(cli.code).toBe(0);
    expect(cli.out).toContain("3 of 3 steps differ");
    expect(cli.out).toMatch(/completed +success +2 → 3 .* key changed: code; schema completed: \+one qty BIGINT→DOUBLE; check accepted_values\(status\): pass → fail/);
    expect(cli.out).toMatch(/big +success +2 → 1 .* key changed: params, inputs \(c\)/);
    const missing = await linea(dir, ["diff", a.runId, "run-20990101T000000Z-deadbeef", "--history", historyDb]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('No run "run-20990101T000000Z-deadbeef"');
  });
});
