// The HistoryStore contract, run over the DuckDB history (the default) and the tests' in-memory one: what a
// run records through its recorder is what `runs` and `run` read back.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DuckDBHistoryStore, Orchestrator, type HistoryStore, type Step } from "../../src/index.js";
import { quietLogger } from "../helpers/dag-shapes.js";
import { MemoryHistoryStore } from "../helpers/memory-stores.js";
import { tempDir } from "../helpers/temp-dir.js";

const STEPS: Step[] = [
  { name: "a", outputs: ["a"], run: () => [{ n: 1 }] },
  { name: "b", inputs: ["a"], outputs: ["b"], run: () => { throw new Error("broken"); } },
  { name: "c", inputs: ["b"], outputs: ["c"], run: ({ b }) => b },
];

const IMPLEMENTATIONS: Array<{ name: string; make: () => HistoryStore }> = [
  { name: "DuckDBHistoryStore", make: () => new DuckDBHistoryStore(join(tempDir(), "history.duckdb")) },
  { name: "MemoryHistoryStore", make: () => new MemoryHistoryStore() },
];

async function runWith(history: HistoryStore, name: string, steps: Step[]) {
  const orchestrator = new Orchestrator({ name, steps, logger: quietLogger(), cache: false, checkpoint: false, historyDb: history, continueOnError: true });
  try {
    return await orchestrator.execute();
  } finally {
    await orchestrator.close();
  }
}

describe.each(IMPLEMENTATIONS)("HistoryStore contract: $name", ({ make }) => {
  it("reads back each run a recorder recorded: its summary and its events in order", async () => {
    const history = make();
    expect(await history.runs()).toEqual([]);
    const failed = await runWith(history, "first", STEPS);
    const ok = await runWith(history, "second", STEPS.slice(0, 1));
    const rows = await history.runs();
    expect(rows.map((r) => [r.runId, r.pipelineName, r.status, r.exitCode])).toEqual([
      [ok.runId, "second", "success", 0],
      [failed.runId, "first", "failed", 1],
    ]);
    expect(rows[1]?.counts).toEqual({ success: 1, cached: 0, failed: 1, skipped: 1 });
    expect((await history.runs({ pipeline: "first" })).map((r) => r.runId)).toEqual([failed.runId]);
    expect(await history.runs({ limit: 1 })).toHaveLength(1);
    const detail = await history.run(failed.runId);
    const log = detail?.attempts[0]?.log ?? [];
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    expect(log[0]?.eventType).toBe("pipeline_start");
    expect(log.at(-1)?.eventType).toBe("pipeline_error");
    expect(log.filter((e) => e.eventType === "node_error").map((e) => e.stepName)).toEqual(["b"]);
  }, 60_000);

  it("knows nothing of a run it never recorded, and imports orphans without failing", async () => {
    const history = make();
    expect(await history.run("run-20260101T000000Z-00000000")).toBeUndefined();
    await history.importOrphans();
    expect(await history.runs()).toEqual([]);
  }, 60_000);
});
