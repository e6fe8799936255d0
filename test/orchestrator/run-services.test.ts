// The composition root: defaults under .linea/ of baseDir, every path option also taking an instance, and a
// run given in-memory stores behaving as one on the folders (reuse, resume, history).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  createRunServices, DEFAULT_PATHS, DuckDBHistoryStore, FolderCacheIndex, FolderCheckpointStore, FolderObjectStore, Orchestrator, type Step,
} from "../../src/index.js";
import { quietLogger } from "../helpers/dag-shapes.js";
import { MemoryCacheIndex, MemoryCheckpointStore, MemoryHistoryStore, MemoryObjectStore } from "../helpers/memory-stores.js";
import { tempDir } from "../helpers/temp-dir.js";

describe("createRunServices", () => {
  it("puts every store under .linea/ of baseDir by default, and builds nothing on disk", () => {
    const base = tempDir();
    const services = createRunServices({ baseDir: base });
    expect(services.objects).toBeInstanceOf(FolderObjectStore);
    expect(services.objects?.location).toBe(join(base, DEFAULT_PATHS.cache, "objects"));
    expect(services.index).toBeInstanceOf(FolderCacheIndex);
    expect(services.index?.location).toBe(join(base, DEFAULT_PATHS.cache, "keys"));
    expect(services.checkpoints).toBeInstanceOf(FolderCheckpointStore);
    expect(services.checkpoints?.location).toBe(join(base, DEFAULT_PATHS.checkpoints));
    expect(services.history).toBeInstanceOf(DuckDBHistoryStore);
    expect(services.history?.location).toBe(join(base, DEFAULT_PATHS.history));
    expect(existsSync(join(base, ".linea"))).toBe(false);
  });

  it("resolves given paths against baseDir, and takes instances as they are", () => {
    const base = tempDir();
    const objects = new MemoryObjectStore();
    const index = new MemoryCacheIndex();
    const checkpoints = new MemoryCheckpointStore();
    const history = new MemoryHistoryStore();
    expect(createRunServices({ baseDir: base, checkpointDir: "cp", historyDb: "h.duckdb" })).toMatchObject({
      checkpoints: { location: join(base, "cp") }, history: { location: join(base, "h.duckdb") },
    });
    const given = createRunServices({ baseDir: base, cacheDir: { objects, index }, checkpointDir: checkpoints, historyDb: history });
    expect(given).toMatchObject({ objects, index, checkpoints, history });
  });

  it("leaves out what is turned off", () => {
    const services = createRunServices({ cache: false, checkpoint: false, historyDb: false });
    expect(services).toMatchObject({ objects: undefined, index: undefined, checkpoints: undefined, history: undefined, cache: false });
    expect(createRunServices({ cache: false }).objects).toBeDefined(); // checkpoints point at objects
  });
});

describe("a run on in-memory stores", () => {
  const steps = (fail: { now: boolean }): Step[] => [
    { name: "a", outputs: ["a"], run: () => [{ n: 1 }, { n: 2 }] },
    { name: "b", inputs: { a: "a" }, outputs: ["b"], sql: "SELECT n * 10 AS m FROM a" },
    { name: "c", inputs: ["b"], outputs: ["c"], run: ({ b }) => { if (fail.now) throw new Error("not now"); return b; } },
  ];

  it("reuses from the cache, resumes from its checkpoint, and records its history, all in memory", async () => {
    const base = tempDir();
    const stores = { objects: new MemoryObjectStore(), index: new MemoryCacheIndex(), checkpoints: new MemoryCheckpointStore(), history: new MemoryHistoryStore() };
    const fail = { now: true };
    const orchestrator = new Orchestrator({
      name: "mem", steps: steps(fail), baseDir: base, logger: quietLogger(),
      cacheDir: { objects: stores.objects, index: stores.index }, checkpointDir: stores.checkpoints, historyDb: stores.history,
    });
    try {
      const first = await orchestrator.execute();
      expect(first.status).toBe("failed");
      expect(stores.objects.objects.size).toBeGreaterThan(0);
      fail.now = false;
      const resumed = await orchestrator.resume(first.runId);
      expect(Object.fromEntries(Object.entries(resumed.nodes).map(([k, n]) => [k, [n.status, n.reusedFrom]]))).toEqual({
        a: ["cached", "checkpoint"], b: ["cached", "checkpoint"], c: ["success", undefined],
      });
      expect(await resumed.dataMap.get("c")?.toRows()).toEqual([{ m: 10 }, { m: 20 }]);
      const warm = await orchestrator.execute();
      expect(Object.values(warm.nodes).map((n) => n.reusedFrom)).toEqual(["cache", "cache", "cache"]);
      expect((await stores.history.runs()).map((r) => [r.runId, r.attempt, r.status])).toEqual([
        [warm.runId, 1, "success"], [first.runId, 2, "success"], [first.runId, 1, "failed"],
      ]);
      expect(existsSync(join(base, ".linea"))).toBe(false);
    } finally {
      await orchestrator.close();
    }
  }, 60_000);
});
