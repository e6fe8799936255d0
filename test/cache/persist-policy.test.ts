// The persistence policy: which outputs a run keeps, decided per output; and a run under it.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decidePersist, DEFAULT_PERSIST_SMALL_CELLS, writeEstimateMs } from "../../src/cache/persist-policy.js";
import type { RunResult, Step } from "../../src/index.js";
import { tempDir, testOrchestrator } from "../helpers/temp-dir.js";

const auto = { mode: "auto" as const, smallCells: DEFAULT_PERSIST_SMALL_CELLS };
const big = { rowCount: 2_400_000, columnCount: 7, consumed: true };

describe("decidePersist", () => {
  it("keeps every output under persist: all", () => {
    expect(decidePersist({ ...big, durationMs: 0 }, { ...auto, mode: "all" })).toEqual({ keep: true, reason: 'persist: "all"' });
  });

  it("keeps an output no step reads, and a small one, however quick", () => {
    expect(decidePersist({ ...big, consumed: false, durationMs: 0 }, auto).keep).toBe(true);
    expect(decidePersist({ rowCount: 100_000, columnCount: 10, consumed: true, durationMs: 0 }, auto)).toEqual({ keep: true, reason: "small (1,000,000 cells)" });
  });

  it("keeps a large output only when its step took more than twice as long as storing it would", () => {
    const writeMs = writeEstimateMs(2_400_000 * 7);
    expect(writeMs).toBe(420);
    expect(decidePersist({ ...big, durationMs: 150 }, auto)).toEqual({
      keep: false, reason: "cheaper to recompute from its inputs: 2,400,000 rows × 7 columns took 150 ms, not more than 2 × the ~420 ms to store it",
    });
    // Longer than the write, but not twice as long: a write paid by every run that makes it costs more.
    expect(decidePersist({ ...big, durationMs: 600 }, auto).keep).toBe(false);
    expect(decidePersist({ ...big, durationMs: 900 }, auto)).toEqual({
      keep: true, reason: "costly to recompute: 2,400,000 rows × 7 columns took 900 ms, more than 2 × the ~420 ms to store it",
    });
    // The factor is a setting: at 1, a step that took longer than the write keeps its output.
    expect(decidePersist({ ...big, durationMs: 600 }, { ...auto, recomputeFactor: 1 })).toEqual({
      keep: true, reason: "costly to recompute: 2,400,000 rows × 7 columns took 600 ms, more than the ~420 ms to store it",
    });
    expect(decidePersist({ ...big, durationMs: 900 }, { ...auto, recomputeFactor: 3 }).keep).toBe(false);
    // The machine's write cost is a setting: on a slower disk the same step's output is not kept.
    expect(decidePersist({ ...big, durationMs: 900 }, { ...auto, writeNsPerCell: 100 }).keep).toBe(false);
    expect(decidePersist({ ...big, durationMs: 0 }, { ...auto, smallCells: 20_000_000 }).keep).toBe(true);
  });

  it("keeps an output rebuilt because a later run needed it, however quick", () => {
    expect(decidePersist({ ...big, durationMs: 1, rebuilt: true }, auto)).toEqual({
      keep: true, reason: "rebuilt for a step that reads it (an earlier run did not keep it): kept, so that the next run need not rebuild it",
    });
    expect(decidePersist({ ...big, durationMs: 1, rebuilt: false }, auto).keep).toBe(false);
  });

  it("scales the write estimate by the machine's load: a step slowed by a busy machine does not tip the balance", () => {
    expect(decidePersist({ ...big, durationMs: 900 }, auto).keep).toBe(true);
    expect(decidePersist({ ...big, durationMs: 900, slowdown: 3 }, auto)).toEqual({
      keep: false, reason: "cheaper to recompute from its inputs: 2,400,000 rows × 7 columns took 900 ms, not more than 2 × the ~1260 ms to store it",
    });
    expect(decidePersist({ ...big, durationMs: 900, slowdown: 0.5 }, auto).keep).toBe(true);
  });
});

const statuses = (result: RunResult): Record<string, string> => Object.fromEntries(Object.entries(result.nodes).map(([k, v]) => [k, v.status]));

/** big (a large table, quick to make) -> total (small) -> out; `factor` changes total's SQL. */
function steps(factor = 1): Step[] {
  return [
    { name: "big", outputs: ["big"], sql: "SELECT range AS n, range % 7 AS g FROM range(20000)" },
    { name: "total", inputs: { b: "big" }, outputs: ["total"], sql: `SELECT g, sum(n) * ${factor} AS s FROM b GROUP BY g ORDER BY g` },
    { name: "out", inputs: { t: "total" }, outputs: ["out"], run: ({ t }) => [{ groups: (t ?? []).length }] },
  ];
}

/** A run where "big" counts as large (any output over 100 cells) and storing a cell as very slow: it is not kept. */
const notKeeping = { cache: true, checkpoint: true, persistSmallCells: 100, persistWriteNsPerCell: 1e9 };

function objectCount(dir: string): number {
  const objects = join(dir, ".linea/cache/objects");
  return readdirSync(objects).filter((p) => p.length === 2).flatMap((p) => readdirSync(join(objects, p))).length;
}

describe("a run under persist: auto", () => {
  it("says what it kept and why; a warm run still reuses every step; a changed consumer makes the producer run again", async () => {
    const dir = tempDir();
    const cold = await testOrchestrator({ steps: steps(), baseDir: dir, ...notKeeping }).execute();
    expect(cold.status).toBe("success");
    const byDataset = Object.fromEntries(cold.persisted.map((p) => [p.dataset, p.kept]));
    expect(byDataset).toEqual({ big: "recompute", total: "object", out: "inline" });
    expect(cold.persisted.find((p) => p.dataset === "big")?.reason).toMatch(/^cheaper to recompute from its inputs: 20,000 rows × 2 columns took \d+ ms/);
    const warm = await testOrchestrator({ steps: steps(), baseDir: dir, ...notKeeping }).execute();
    expect(Object.values(statuses(warm))).toEqual(["cached", "cached", "cached"]);
    expect(warm.persisted).toEqual([]);
    // total changes: it needs big, which was not kept, so big runs again (and is the same data).
    const changed = await testOrchestrator({ steps: steps(2), baseDir: dir, ...notKeeping }).execute();
    expect(statuses(changed)).toEqual({ big: "success", total: "success", out: "success" });
    expect(changed.nodes.big?.status).toBe("success");
    expect(await changed.dataMap.get("out")?.toRows()).toEqual([{ groups: 7 }]);
    // Needed again, big is kept this time, so the next change below it does not rebuild it.
    const rebuilt = changed.persisted.find((p) => p.dataset === "big");
    expect(rebuilt).toEqual({
      dataset: "big", step: "big", kept: "object",
      reason: "rebuilt for a step that reads it (an earlier run did not keep it): kept, so that the next run need not rebuild it",
    });
    const changedAgain = await testOrchestrator({ steps: steps(3), baseDir: dir, ...notKeeping }).execute();
    expect(statuses(changedAgain)).toEqual({ big: "cached", total: "success", out: "success" });
    expect(await changedAgain.dataMap.get("big")?.rowCount()).toBe(20_000);
  });

  it("cannot give a reused output it did not keep, and says how to keep it", async () => {
    const dir = tempDir();
    await testOrchestrator({ steps: steps(), baseDir: dir, ...notKeeping }).execute();
    const again = await testOrchestrator({ steps: steps(), baseDir: dir, ...notKeeping }).execute();
    expect(Object.values(statuses(again))).toEqual(["cached", "cached", "cached"]);
    await expect(again.dataMap.get("big")?.toRows()).rejects.toThrow(/not kept .*persist: "all"/);
  });

  it("keeps every output under persist: all (and by default, outputs this small)", async () => {
    const dir = tempDir();
    const all = await testOrchestrator({ steps: steps(), baseDir: dir, ...notKeeping, persist: "all" }).execute();
    expect(all.persisted.map((p) => p.kept)).toEqual(["object", "object", "inline"]);
    expect(objectCount(dir)).toBe(2);
    const byDefault = await testOrchestrator({ steps: steps(), baseDir: tempDir(), cache: true }).execute();
    expect(byDefault.persisted.every((p) => p.kept !== "recompute")).toBe(true);
  });

  it("takes the recompute factor from the run's options", async () => {
    // Storing costs next to nothing here, so only the factor decides: 0 keeps big, a huge one does not.
    const cheapWrites = { cache: true, checkpoint: true, persistSmallCells: 100, persistWriteNsPerCell: 1e-6 };
    const keeping = await testOrchestrator({ steps: steps(), baseDir: tempDir(), ...cheapWrites, persistRecomputeFactor: 0 }).execute();
    expect(keeping.persisted.find((p) => p.dataset === "big")?.kept).toBe("object");
    const dropping = await testOrchestrator({ steps: steps(), baseDir: tempDir(), ...cheapWrites, persistRecomputeFactor: 1e15 }).execute();
    expect(dropping.persisted.find((p) => p.dataset === "big")?.kept).toBe("recompute");
    expect(() => testOrchestrator({ steps: steps(), persistRecomputeFactor: -1 })).toThrow(/persistRecomputeFactor.*must be a number from 0 and up/);
  });

  it("resumes a failed run to the same outputs when what it needs was not kept", async () => {
    const dir = tempDir();
    let fail = true;
    const flaky = (): Step[] => [
      ...steps().slice(0, 2),
      { name: "out", inputs: { b: "big", t: "total" }, outputs: ["out"], run: ({ b, t }) => { if (fail) throw new Error("planned"); return [{ groups: (t ?? []).length, rows: (b ?? []).length }]; } },
    ];
    const first = await testOrchestrator({ steps: flaky(), baseDir: dir, ...notKeeping }).execute();
    expect(statuses(first)).toEqual({ big: "success", total: "success", out: "failed" });
    fail = false;
    const resumed = await testOrchestrator({ steps: flaky(), baseDir: dir, ...notKeeping }).resume(first.runId);
    expect(resumed.status).toBe("success");
    // out reads big, which was not kept: big runs again; total (small) was kept and is reused.
    expect(statuses(resumed)).toEqual({ big: "success", total: "cached", out: "success" });
    expect(await resumed.dataMap.get("out")?.toRows()).toEqual([{ groups: 7, rows: 20000 }]);
  });

  it("refuses a persist option that is not a mode, and a negative cell count", () => {
    expect(() => testOrchestrator({ steps: steps(), persist: "some" as never })).toThrow('`persist` must be one of "auto", "all", got "some"');
    expect(() => testOrchestrator({ steps: steps(), persistSmallCells: -1 })).toThrow("`persistSmallCells` must be a whole number from 0 and up, got -1");
  });
});
