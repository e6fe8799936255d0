// Read steps started before the run's plan is made (while their source files are hashed): the first attempt
// takes the read, a read the run does not use is interrupted and its table dropped, and a run gives the same
// results, statuses and errors as one that read nothing ahead.
import { utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunResult, Step } from "../../src/index.js";
import { Engines } from "../../src/engines/engines.js";
import type { Relation } from "../../src/engines/duckdb/relation.js";
import { DataMap } from "../../src/data/data-map.js";
import { RunEvents } from "../../src/events/run-events.js";
import { buildPlan } from "../../src/plan/build-plan.js";
import { normalizeStep } from "../../src/step/normalize-step.js";
import { ReadAhead } from "../../src/execute/read-ahead.js";
import { FileVersions } from "../../src/cache/file-versions.js";
import type { RunContext } from "../../src/execute/run-context.js";
import { RunRuntime } from "../../src/execute/run-runtime.js";
import { tempDir, testOrchestrator } from "../helpers/temp-dir.js";

const statuses = (result: RunResult): Record<string, string> => Object.fromEntries(Object.entries(result.nodes).map(([k, v]) => [k, v.status]));

/** The tables of the run's own DuckDB schema, by name. */
async function runTables(runtime: RunRuntime): Promise<string[]> {
  const run = await runtime.duckdb();
  return run.engine.withConnection(async (c) => {
    const reader = await c.runAndReadAll(`SELECT table_name FROM duckdb_tables() WHERE schema_name = '${run.schema}' ORDER BY table_name`);
    return reader.getRows().map((r) => String(r[0]));
  });
}

/**
 * Calls `test` with a run context over a real DuckDB, for the steps given, reading from `dir`; then releases
 * the run's tables and closes DuckDB.
 */
async function withContext(dir: string, steps: Step[], test: (rc: RunContext) => Promise<void>, signal = new AbortController().signal): Promise<void> {
  const engines = new Engines();
  try {
    const specs = steps.map((s, i) => normalizeStep(s, i));
    const planned = buildPlan(specs, { pipelineName: "read-ahead", sources: [] });
    const rc: RunContext = {
      runId: "r1", runAttempt: 1, pipelineName: "read-ahead", planned,
      settings: { maxWorkers: 2, continueOnError: false, retry: {}, timeoutMs: undefined, baseDir: dir },
      dataMap: new DataMap(), runtime: new RunRuntime(engines), signal,
      events: new RunEvents({ pipelineName: "read-ahead", runId: "r1", batchRunId: "b1" }, () => undefined), warn: () => undefined,
    };
    await test(rc);
    await rc.runtime.dispose();
  } finally {
    await engines.close();
  }
}

function csv(dir: string, name: string, rows: number): void {
  writeFileSync(join(dir, name), `id,v\n${Array.from({ length: rows }, (_, i) => `${i},${i * 2}`).join("\n")}\n`);
}

describe("ReadAhead", () => {
  it("hands the first attempt the read it started, once", async () => {
    const dir = tempDir();
    csv(dir, "a.csv", 3);
    await withContext(dir, [{ name: "a", read: "a.csv", outputs: ["a"] }], async (rc) => {
      const spec = rc.planned.dag.specs[0]!;
      const ahead = new ReadAhead(rc);
      ahead.start(spec);
      expect(ahead.indexes).toEqual([0]);
      const outputs = await ahead.take(0, rc.signal)!;
      expect(await outputs[0]!.rowCount()).toBe(3);
      expect(ahead.take(0, rc.signal)).toBeUndefined();
      await ahead.close();
      // Taken: the table is the step's output, not dropped.
      expect(await runTables(rc.runtime)).toEqual([(outputs[0]!.valueNow("duckdb") as Relation).table]);
    });
  });

  it("drops the table of a read it started that nobody took", async () => {
    const dir = tempDir();
    csv(dir, "a.csv", 2000);
    csv(dir, "b.csv", 10);
    await withContext(dir, [{ name: "a", read: "a.csv", outputs: ["a"] }, { name: "b", read: "b.csv", outputs: ["b"] }], async (rc) => {
      const ahead = new ReadAhead(rc);
      for (const spec of rc.planned.dag.specs) ahead.start(spec);
      // Both reads made their tables (no clock: the loop yields until DuckDB says so).
      for (let i = 0; i < 10_000 && (await runTables(rc.runtime)).length < 2; i++) await new Promise((r) => setImmediate(r));
      expect(await runTables(rc.runtime)).toHaveLength(2);
      ahead.cancel(0);
      await ahead.close(); // cancels b too
      expect(await runTables(rc.runtime)).toEqual([]);
      expect(ahead.indexes).toEqual([]);
    });
  });

  it("never reads for a run interrupted before the read began, and the taker sees the interruption", async () => {
    const dir = tempDir();
    csv(dir, "a.csv", 3);
    const controller = new AbortController();
    await withContext(dir, [{ name: "a", read: "a.csv", outputs: ["a"] }], async (rc) => {
      const ahead = new ReadAhead(rc);
      ahead.start(rc.planned.dag.specs[0]!);
      controller.abort(new Error("stop"));
      await expect(ahead.take(0, rc.signal)!).rejects.toThrow("stop");
      expect(await runTables(rc.runtime)).toEqual([]);
    }, controller.signal);
  });
});

describe("reading ahead in a run (cache and checkpoints on)", () => {
  const steps = (extra: Step[] = []): Step[] => [
    { name: "read", read: "orders.csv", outputs: ["orders"] },
    { name: "big", inputs: { o: "orders" }, outputs: ["big"], sql: "SELECT * FROM o WHERE v >= 10" },
    ...extra,
  ];
  const run = (dir: string, list: Step[], options: Record<string, unknown> = {}): Promise<RunResult> =>
    testOrchestrator({ steps: list, baseDir: dir, cache: true, checkpoint: true, ...options }).execute();

  it("gives a cold run the same data as a run without a cache, and reuses everything after", async () => {
    const dir = tempDir();
    csv(dir, "orders.csv", 50);
    const cold = await run(dir, steps());
    expect(statuses(cold)).toEqual({ read: "success", big: "success" });
    expect(cold.nodes.read?.attempts).toBe(1);
    const plain = await testOrchestrator({ steps: steps(), baseDir: dir }).execute();
    expect(await cold.dataMap.get("big")!.toRows()).toEqual(await plain.dataMap.get("big")!.toRows());
    expect(statuses(await run(dir, steps()))).toEqual({ read: "cached", big: "cached" });
  });

  it("leaves no table behind when a source changed back to content seen before, and nothing below it runs", async () => {
    const dir = tempDir();
    const fresh: Step = { name: "fresh", outputs: ["fresh"], sql: "SELECT 1 AS one", cache: "disable" };
    csv(dir, "orders.csv", 5000);
    await run(dir, steps([fresh]));
    csv(dir, "orders.csv", 10);
    expect(statuses(await run(dir, steps([fresh])))).toEqual({ read: "success", big: "success", fresh: "success" });
    // Back to the first content: another size than the record says, so the read starts ahead; the plan then
    // finds every step's result stored, and the read is interrupted or its table dropped.
    csv(dir, "orders.csv", 5000);
    const warm = await run(dir, steps([fresh]));
    expect(statuses(warm)).toEqual({ read: "cached", big: "cached", fresh: "success" });
    const relation = (warm.dataMap as DataMap).handle("fresh")!.valueNow("duckdb") as Relation;
    const tables = await relation.run.engine.withConnection(async (c) =>
      (await c.runAndReadAll(`SELECT table_name FROM duckdb_tables() WHERE schema_name = '${relation.run.schema}'`)).getRows().map((r) => String(r[0])));
    expect(tables).toEqual([relation.table]);
  });

  it("does not read ahead a source only touched (the same size): its steps are reused", async () => {
    const dir = tempDir();
    csv(dir, "orders.csv", 50);
    await run(dir, steps());
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dir, "orders.csv"), later, later);
    expect(await new FileVersions(join(dir, ".linea/cache/files")).state(join(dir, "orders.csv"))).toBe("touched");
    expect(statuses(await run(dir, steps()))).toEqual({ read: "cached", big: "cached" });
  });

  it("fails a read as a run that read nothing ahead does, and retries it", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "orders.csv"), "id,v\n1,2,3,4\n5\n");
    const result = await run(dir, steps(), { retry: { maxRetries: 1, delayMs: 1, jitter: 0 } });
    const plain = await testOrchestrator({ steps: steps(), baseDir: dir, retry: { maxRetries: 1, delayMs: 1, jitter: 0 } }).execute();
    expect(statuses(result)).toEqual({ read: "failed", big: "skipped" });
    expect(statuses(plain)).toEqual(statuses(result));
    expect(result.nodes.read?.attempts).toBe(2);
    expect(result.nodes.read?.error?.message).toContain("does not match its header");
    expect(result.nodes.read?.error?.message).toBe(plain.nodes.read?.error?.message);
  });

  it("ends a run interrupted before it starts cleanly, its read started ahead stopped", async () => {
    const dir = tempDir();
    csv(dir, "orders.csv", 50);
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    const result = await testOrchestrator({ steps: steps(), baseDir: dir, cache: true, checkpoint: true }).execute({ signal: controller.signal });
    expect(result.interrupted).toBe(true);
    expect(Object.values(statuses(result)).every((s) => s !== "success")).toBe(true);
    expect(result.warnings).toEqual([]);
  });
});
