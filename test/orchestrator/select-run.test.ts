import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SelectionError, type Step } from "../../src/index.js";
import { tempDir, testOrchestrator } from "../helpers/temp-dir.js";

/** A project with orders.csv, and a pipeline: read -> completed -> big -> total, with a side branch. */
function project(): { dir: string; steps: Step[]; calls: string[] } {
  const dir = tempDir("linea-select-");
  mkdirSync(join(dir, "data"));
  writeFileSync(join(dir, "data/orders.csv"), "id,qty,status\n1,5,completed\n2,1,pending\n3,7,completed\n4,2,completed\n");
  const calls: string[] = [];
  const steps: Step[] = [
    { name: "read_orders", layer: "ingest", tags: ["nightly"], read: "data/orders.csv", outputs: ["orders"] },
    { name: "completed", layer: "transform", tags: ["nightly"], inputs: ["orders"], outputs: ["completed"], sql: "SELECT * FROM orders WHERE status = 'completed'" },
    { name: "big", layer: "transform", inputs: { c: "completed" }, outputs: ["big"], sql: "SELECT * FROM c WHERE qty > 3" },
    {
      name: "total", layer: "report", inputs: ["big"], outputs: ["total"],
      run: ({ big }) => {
        calls.push("total");
        return [{ qty: (big as Array<{ qty: number }>).reduce((a, r) => a + Number(r.qty), 0) }];
      },
    },
    { name: "count_all", layer: "report", inputs: ["orders"], outputs: ["n"], sql: "SELECT count(*) AS n FROM orders" },
  ];
  return { dir, steps, calls };
}

describe("execute({ select, exclude })", () => {
  it("runs only the selected steps, reading the others' outputs from the cache", async () => {
    const { dir, steps, calls } = project();
    const o = testOrchestrator({ steps, baseDir: dir, cache: true, cacheDir: join(dir, "cache") });
    expect((await o.execute()).status).toBe("success");
    calls.length = 0;

    const result = await o.execute({ select: "total" });
    expect(result.status).toBe("success");
    expect(Object.keys(result.nodes)).toEqual(["total"]);
    expect(result.nodes.total?.status).toBe("cached");
    expect(result.plan.selection?.reused).toEqual([{ dataset: "big", producer: "big", consumers: ["total"] }]);

    // A selected step that must run reads its unselected input from the stored data.
    const again = await o.execute({ select: "big+", exclude: "count_all" });
    expect(Object.keys(again.nodes)).toEqual(["big", "total"]);
    const step = steps[2] as Step & { sql: string };
    const changed = steps.map((s) => (s.name === "big" ? { ...step, sql: "SELECT * FROM c WHERE qty > 6" } : s));
    const o2 = testOrchestrator({ steps: changed, baseDir: dir, cache: true, cacheDir: join(dir, "cache") });
    const rerun = await o2.execute({ select: "big+" });
    expect(rerun.nodes.big?.status).toBe("success");
    expect(rerun.nodes.total?.status).toBe("success");
    expect(await rerun.dataMap.get("total")?.toRows()).toEqual([{ qty: 7 }]);
    expect(calls).toEqual(["total"]);
  });

  it("throws a SelectionError naming the steps to add when an input is not stored, before anything runs", async () => {
    const { dir, steps, calls } = project();
    const o = testOrchestrator({ steps, baseDir: dir, cache: true, cacheDir: join(dir, "cache") });
    const error = await o.execute({ select: "total,count_all" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SelectionError);
    expect((error as SelectionError).missingProducers).toEqual(["big", "read_orders"]);
    expect((error as Error).message).toBe(
      'Cannot run the selection "total,count_all": "big" (read by "total") comes from unselected step "big", which has no stored result: no cache entry for its key; ' +
        '"orders" (read by "count_all") comes from unselected step "read_orders", which has no stored result: no cache entry for its key. ' +
        "Add these steps to the selection (big,read_orders), or run them once so that their results are cached.",
    );
    expect(calls).toEqual([]);
    // With the cache off, only a checkpoint can supply them.
    const off = testOrchestrator({ steps, baseDir: dir, cache: false });
    await expect(off.execute({ select: "+big" })).resolves.toMatchObject({ status: "success" });
    await expect(off.execute({ select: "total" })).rejects.toThrow("the cache is off for this run");
  });

  it("takes an unselected step's output from a recent checkpoint when the cache is off", async () => {
    const { dir, steps } = project();
    const options = { steps, baseDir: dir, cache: false, checkpoint: true, checkpointDir: join(dir, "checkpoints"), cacheDir: join(dir, "cache") };
    const o = testOrchestrator(options);
    expect((await o.execute()).status).toBe("success");
    const result = await o.execute({ select: "tag:nightly+", exclude: "read_orders" });
    expect(Object.keys(result.nodes)).toEqual(["completed", "big", "total", "count_all"]);
    expect(result.status).toBe("success");
    expect(await result.dataMap.get("n")?.toRows()).toEqual([{ n: 4 }]);
  });

  it("plan({ select }) is the plan of the selected steps", () => {
    const { dir, steps } = project();
    const plan = testOrchestrator({ steps, baseDir: dir }).plan({ select: "+big", exclude: "layer:ingest" });
    expect(plan.order).toEqual(["completed", "big"]);
    expect(plan.sources).toEqual(["orders"]);
    expect(plan.selection).toEqual({
      select: "+big", exclude: "layer:ingest", steps: ["completed", "big"], unselected: ["read_orders", "total", "count_all"],
      reused: [{ dataset: "orders", producer: "read_orders", consumers: ["completed"] }],
    });
  });
});
