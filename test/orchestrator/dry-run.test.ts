import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RunHistory, type Step } from "../../src/index.js";
import { tempDir, testOrchestrator } from "../helpers/temp-dir.js";
import { linea } from "../cli/cli-helpers.js";

function project(): { dir: string; steps: Step[] } {
  const dir = tempDir("linea-dry-");
  mkdirSync(join(dir, "data"));
  writeFileSync(join(dir, "data/orders.csv"), "id,qty,status\n1,5,completed\n2,1,pending\n3,7,completed\n");
  const steps: Step[] = [
    { name: "read_orders", layer: "ingest", read: "data/orders.csv", outputs: ["orders"] },
    { name: "completed", inputs: ["orders"], outputs: ["completed"], sql: "SELECT * FROM orders WHERE status = 'completed'" },
    { name: "fresh", inputs: ["completed"], outputs: ["fresh"], cache: "recompute", sql: "SELECT * FROM completed" },
    { name: "save", inputs: ["completed"], write: "out/completed.csv" },
  ];
  return { dir, steps };
}

describe("dryRun", () => {
  it("says what would run and why, what would be reused, and runs, stores and records nothing", async () => {
    const { dir, steps } = project();
    const options = { steps, baseDir: dir, cache: true, cacheDir: join(dir, "cache"), historyDb: join(dir, "history.duckdb"), checkpoint: true, checkpointDir: join(dir, "cp") };
    const cold = await testOrchestrator(options).dryRun();
    expect(cold.steps.map((s) => [s.name, s.action, s.reason])).toEqual([
      ["read_orders", "run", "no cache entry for its key"],
      ["completed", "run", 'no cache entry for its key (its inputs changed: "read_orders" has a new key too)'],
      ["fresh", "run", 'cache: "recompute"'],
      ["save", "run", 'no cache entry for its key (its inputs changed: "completed" has a new key too)'],
    ]);
    expect(existsSync(join(dir, "out"))).toBe(false);
    expect(existsSync(join(dir, "cp"))).toBe(false);
    expect(existsSync(join(dir, "history.duckdb"))).toBe(false);

    await testOrchestrator(options).execute();
    writeFileSync(join(dir, "data/orders.csv"), "id,qty,status\n1,5,completed\n");
    const warm = await testOrchestrator(options).dryRun();
    expect(warm.steps.map((s) => [s.name, s.action, s.reason ?? s.reusedFrom])).toEqual([
      ["read_orders", "run", "no cache entry for its key"],
      ["completed", "run", 'no cache entry for its key (its inputs changed: "read_orders" has a new key too)'],
      ["fresh", "run", 'cache: "recompute"'],
      ["save", "run", 'no cache entry for its key (its inputs changed: "completed" has a new key too)'],
    ]);
    writeFileSync(join(dir, "data/orders.csv"), "id,qty,status\n1,5,completed\n2,1,pending\n3,7,completed\n");
    const back = await testOrchestrator({ ...options, steps: steps.slice(0, 3) }).dryRun({ select: "fresh+" });
    expect(back.steps.map((s) => [s.name, s.action, s.reason ?? s.reusedFrom])).toEqual([["fresh", "run", 'cache: "recompute"']]);
    expect(back.counts).toEqual({ run: 1, reuse: 0 });
    const history = new RunHistory(join(dir, "history.duckdb"));
    expect((await history.runs()).length).toBe(1);
  });

  it("linea run --dry-run prints the decisions", async () => {
    const { dir } = project();
    writeFileSync(join(dir, "p.yaml"), `name: dry
steps:
  - { name: read_orders, layer: ingest, read: data/orders.csv, outputs: [orders] }
  - { name: completed, inputs: [orders], outputs: [completed], sql: "SELECT * FROM orders WHERE status = 'completed'" }
`);
    await linea(dir, ["run", "p.yaml", "--quiet"]);
    writeFileSync(join(dir, "p.yaml"), `name: dry
steps:
  - { name: read_orders, layer: ingest, read: data/orders.csv, outputs: [orders] }
  - { name: completed, inputs: [orders], outputs: [completed], sql: "SELECT id FROM orders WHERE status = 'completed'" }
`);
    const dry = await linea(dir, ["run", "p.yaml", "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/^dry: dry run: 1 would run, 1 would be reused; nothing ran\n/);
    expect(dry.out).toMatch(/read_orders +ingest +reuse +reused from the cache/);
    expect(dry.out).toMatch(/completed +run +no cache entry for its key/);
  });
});
