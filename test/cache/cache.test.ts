import { readdirSync, readFileSync, writeFileSync, rmSync, appendFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EventBus, FolderCacheIndex, type EventPayloads, type RunResult, type Step } from "../../src/index.js";
import { tempDir, testOrchestrator } from "../helpers/temp-dir.js";

/** Statuses of a run's nodes, by step. */
const statuses = (result: RunResult): Record<string, string> => Object.fromEntries(Object.entries(result.nodes).map(([k, v]) => [k, v.status]));

function project(): string {
  const dir = tempDir();
  writeFileSync(join(dir, "orders.csv"), "id,qty,price\n1,2,1.5\n2,5,2.0\n3,7,3.5\n");
  return dir;
}

/** read -> clean (sql) -> total (run) -> store (write), and an independent branch. */
function pipeline(overrides: { cleanSql?: string; factor?: number; body?: "a" | "b"; local?: string } = {}): Step[] {
  const local = overrides.local ?? "o";
  return [
    { name: "read", read: "orders.csv", outputs: ["orders"] },
    { name: "clean", inputs: { [local]: "orders" }, outputs: ["clean"], sql: overrides.cleanSql ?? `SELECT * FROM ${local} WHERE qty > 2` },
    {
      name: "total", inputs: { c: "clean" }, outputs: ["total"], params: { factor: overrides.factor ?? 1 },
      run: overrides.body === "b"
        ? ({ c }, ctx) => [{ total: (c ?? []).reduce((s, r) => s + (r.qty as number), 0) * (ctx.params.factor as number) + 0 }]
        : ({ c }, ctx) => [{ total: (c ?? []).reduce((s, r) => s + (r.qty as number), 0) * (ctx.params.factor as number) }],
    },
    { name: "store", inputs: ["total"], write: "out/total.csv" },
    { name: "side", outputs: ["side"], sql: "SELECT 42 AS answer" },
  ];
}

async function run(dir: string, steps: Step[], options: Record<string, unknown> = {}): Promise<RunResult> {
  return testOrchestrator({ steps, baseDir: dir, cache: true, checkpoint: true, ...options }).execute();
}

describe("the cache", () => {
  it("reuses every step of an unchanged pipeline, and keeps its results", async () => {
    const dir = project();
    const cold = await run(dir, pipeline());
    expect(Object.values(statuses(cold))).toEqual(["success", "success", "success", "success", "success"]);
    const bus = new EventBus();
    const cached: Array<EventPayloads["node_cached"]> = [];
    bus.registerHook("node_cached", (p) => void cached.push(p));
    const warm = await run(dir, pipeline(), { eventBus: bus });
    expect(Object.values(statuses(warm))).toEqual(["cached", "cached", "cached", "cached", "cached"]);
    expect(cached.map((c) => [c.stepName, c.reusedFrom, c.cacheKey === cold.nodes[c.stepName]?.cacheKey])).toEqual([
      ["read", "cache", true], ["side", "cache", true], ["clean", "cache", true], ["total", "cache", true], ["store", "cache", true],
    ]);
    expect(await warm.dataMap.get("total")?.toRows()).toEqual([{ total: 12 }]);
    // Snapshots of reused steps come from the stored data.
    expect(warm.tracker.step("clean")?.afterSnapshot).toMatchObject({ rowCount: 2, schema: [{ name: "id", type: "BIGINT" }, { name: "qty", type: "BIGINT" }, { name: "price", type: "DOUBLE" }] });
    expect(warm.tracker.step("clean")?.cached).toBe(true);
  });

  it("reruns exactly the changed step and its descendants when SQL changes", async () => {
    const dir = project();
    await run(dir, pipeline());
    const changed = await run(dir, pipeline({ cleanSql: "SELECT * FROM o WHERE qty > 6" }));
    expect(statuses(changed)).toEqual({ read: "cached", clean: "success", total: "success", store: "success", side: "cached" });
    expect(readFileSync(join(dir, "out/total.csv"), "utf8")).toBe("total\n7\n");
  });

  it("reruns on changed params and on a changed function body, not on anything else", async () => {
    const dir = project();
    await run(dir, pipeline());
    expect(statuses(await run(dir, pipeline({ factor: 2 })))).toMatchObject({ clean: "cached", total: "success", store: "success", side: "cached" });
    expect(statuses(await run(dir, pipeline({ factor: 2, body: "b" })))).toMatchObject({ clean: "cached", total: "success", store: "success" });
    expect(statuses(await run(dir, pipeline({ factor: 2, body: "b" })))).toMatchObject({ total: "cached", store: "cached" });
  });

  it("runs a cached step again when a check is added or tightened: a failing check is never reported as a success", async () => {
    const dir = project();
    const withChecks = (checks: NonNullable<Step["checks"]>): Step[] =>
      pipeline().map((s) => (s.name === "clean" ? { ...s, checks } : s));
    expect(statuses(await run(dir, withChecks([])))).toMatchObject({ clean: "success" });
    expect(statuses(await run(dir, withChecks([])))).toMatchObject({ clean: "cached" });
    // A new check that the stored result fails: the step runs, its check fails, nothing downstream runs.
    const added = await run(dir, withChecks([{ kind: "row_count", min: 3 }]));
    expect(statuses(added)).toMatchObject({ read: "cached", clean: "failed", total: "skipped", store: "skipped", side: "cached" });
    expect(added.status).toBe("failed");
    expect(added.nodes.clean?.error?.message).toMatch(/row_count/);
    // The same check again: still failing (the failure was not cached as a success).
    expect(statuses(await run(dir, withChecks([{ kind: "row_count", min: 3 }])))).toMatchObject({ clean: "failed" });
    // A check that passes is checked once, then reused with it.
    expect(statuses(await run(dir, withChecks([{ kind: "row_count", min: 2 }])))).toMatchObject({ clean: "success" });
    expect(statuses(await run(dir, withChecks([{ kind: "row_count", min: 2 }])))).toMatchObject({ clean: "cached", total: "cached" });
  });

  it("reruns a read step and its descendants when the source file's content changes", async () => {
    const dir = project();
    await run(dir, pipeline());
    appendFileSync(join(dir, "orders.csv"), "4,9,1.0\n");
    const changed = await run(dir, pipeline());
    expect(statuses(changed)).toEqual({ read: "success", clean: "success", total: "success", store: "success", side: "cached" });
    expect(await changed.dataMap.get("total")?.toRows()).toEqual([{ total: 21 }]);
  });

  it("keeps downstream keys when the source file is only touched, and changes it when an input's local name changes", async () => {
    const dir = project();
    const first = await run(dir, pipeline());
    const text = readFileSync(join(dir, "orders.csv"), "utf8");
    writeFileSync(join(dir, "orders.csv"), text); // same bytes, new mtime
    // A file whose mtime changed is hashed again before anything runs; its content hash is the same, so
    // the read step and everything downstream are reused. Untouched, it is not even hashed again.
    expect(statuses(await run(dir, pipeline()))).toMatchObject({ read: "cached", clean: "cached", total: "cached" });
    expect(statuses(await run(dir, pipeline()))).toMatchObject({ read: "cached", clean: "cached" });
    const renamed = await run(dir, pipeline({ local: "src" }));
    expect(renamed.nodes.clean?.status).toBe("success");
    expect(renamed.nodes.clean?.cacheKey).not.toBe(first.nodes.clean?.cacheKey);
  });

  it("reruns a write step whose target was deleted", async () => {
    const dir = project();
    await run(dir, pipeline());
    rmSync(join(dir, "out/total.csv"));
    const again = await run(dir, pipeline());
    expect(statuses(again)).toMatchObject({ total: "cached", store: "success" });
    expect(readFileSync(join(dir, "out/total.csv"), "utf8")).toBe("total\n12\n");
  });

  it("detects a corrupted stored object, never reads it, and recomputes", async () => {
    const dir = project();
    await run(dir, pipeline());
    const objects = join(dir, ".linea/cache/objects");
    for (const prefix of readdirSync(objects).filter((p) => p.length === 2)) {
      for (const file of readdirSync(join(objects, prefix))) writeFileSync(join(objects, prefix, file), "garbage");
    }
    // A changed downstream step must read `clean`; its stored object is corrupted, so `clean` runs again.
    const result = await run(dir, pipeline({ factor: 3 }));
    expect(statuses(result)).toMatchObject({ read: "cached", clean: "success", total: "success" });
    expect(await result.dataMap.get("total")?.toRows()).toEqual([{ total: 36 }]);
    expect(result.warnings.map((w) => w.message)).toContain('stored data of "clean" (step "clean") is missing or corrupted; recomputing it');
  });

  it("honours cache: recompute and disable per step, and cache: false per run", async () => {
    const dir = project();
    await run(dir, pipeline());
    const steps = pipeline().map((s) => (s.name === "clean" ? { ...s, cache: "recompute" as const } : s.name === "side" ? { ...s, cache: "disable" as const } : s));
    expect(statuses(await run(dir, steps))).toEqual({ read: "cached", clean: "success", total: "cached", store: "cached", side: "success" });
    expect(Object.values(statuses(await run(dir, pipeline(), { cache: false })))).toEqual(["success", "success", "success", "success", "success"]);
  });

  it("stores identical outputs once", async () => {
    const dir = project();
    const twins: Step[] = [
      { name: "a", outputs: ["a"], sql: "SELECT range AS n FROM range(100)" },
      { name: "b", outputs: ["b"], sql: "SELECT range AS n FROM range(100)" },
    ];
    await run(dir, twins);
    const objects = join(dir, ".linea/cache/objects");
    const files = readdirSync(objects).filter((p) => p.length === 2).flatMap((p) => readdirSync(join(objects, p)));
    expect(files).toHaveLength(1);
    expect(await new FolderCacheIndex(join(dir, ".linea/cache/keys")).list()).toHaveLength(2);
  });

  it("keeps a dataset that a Parquet write step writes as that very file, not a second copy", async () => {
    const dir = project();
    const steps: Step[] = [
      { name: "make", outputs: ["made"], sql: "SELECT range AS n, range * 2 AS m FROM range(5000)" },
      { name: "save", inputs: ["made"], write: "out/made.parquet" },
    ];
    await run(dir, steps);
    const objects = join(dir, ".linea/cache/objects");
    const files = readdirSync(objects).filter((p) => p.length === 2).flatMap((p) => readdirSync(join(objects, p)).map((f) => join(objects, p, f)));
    expect(files).toHaveLength(1);
    expect(statSync(files[0] as string).ino).toBe(statSync(join(dir, "out/made.parquet")).ino);
    // And it is used: a changed consumer reads `made` back from it.
    const more = [...steps, { name: "sum", inputs: { m: "made" }, outputs: ["s"], sql: "SELECT sum(m) AS total FROM m" } as Step];
    const result = await run(dir, more);
    expect(result.nodes.make?.status).toBe("cached");
    expect(await result.dataMap.get("s")?.toRows()).toEqual([{ total: 24995000 }]);
  });

  it("evicts least recently used entries past its size limit", async () => {
    const dir = project();
    const big = (name: string, n: number): Step => ({ name, outputs: [name], sql: `SELECT range AS n, md5(range::VARCHAR) AS h FROM range(${n})` });
    await run(dir, [big("old", 20_000)]);
    await run(dir, [big("newer", 20_001)]);
    const objects = join(dir, ".linea/cache/objects");
    const sizes = readdirSync(objects).filter((p) => p.length === 2).flatMap((p) => readdirSync(join(objects, p)).map((f) => statSync(join(objects, p, f)).size));
    expect(sizes).toHaveLength(2);
    // A limit that fits one object: the least recently used entry goes. (The grace period keeps objects
    // younger than ten minutes, so this test ages them.)
    const { utimesSync } = await import("node:fs");
    const past = new Date(Date.now() - 3_600_000);
    for (const p of readdirSync(objects).filter((x) => x.length === 2)) for (const f of readdirSync(join(objects, p))) utimesSync(join(objects, p, f), past, past);
    await run(dir, [big("newer", 20_001)], { cacheMaxBytes: Math.max(...sizes) + 10 });
    expect(statuses(await run(dir, [big("newer", 20_001)]))).toEqual({ newer: "cached" });
    expect(statuses(await run(dir, [big("old", 20_000)]))).toEqual({ old: "success" });
  });
});
