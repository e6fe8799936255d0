// The CheckpointStore contract over the folder store (the default) and the tests' in-memory one.
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CheckpointNotFoundError, CheckpointStore, FolderCheckpointStore, type RunCheckpoint, type StoredResult } from "../../src/index.js";
import { MemoryCheckpointStore } from "../helpers/memory-stores.js";
import { tempDir } from "../helpers/temp-dir.js";

function manifest(runId: string, over: Partial<RunCheckpoint> = {}): RunCheckpoint {
  return {
    format: 1, runId, pipelineName: "p", batchRunId: "b", attempt: 1, status: "running", startTime: "2026-01-01T00:00:00.000Z",
    updated: "2026-01-01T00:00:00.000Z", steps: ["a", "b"], ...over,
  };
}

const result = (step: string, key = "k".repeat(64)): StoredResult => ({ key, step, outputs: {} });

const IMPLEMENTATIONS: Array<{ name: string; make: () => CheckpointStore }> = [
  { name: "FolderCheckpointStore", make: () => new FolderCheckpointStore(tempDir()) },
  { name: "MemoryCheckpointStore", make: () => new MemoryCheckpointStore() },
];

describe.each(IMPLEMENTATIONS)("CheckpointStore contract: $name", ({ make }) => {
  it("loads the manifest and every recorded step of a run", async () => {
    const store = make();
    await store.write(manifest("run-1"));
    await store.recordNode("run-1", result("a"));
    await store.recordNode("run-1", result("b"));
    await store.flush();
    const loaded = await store.load("run-1");
    expect(loaded.run).toEqual(manifest("run-1"));
    expect([...loaded.nodes.keys()].sort()).toEqual(["a", "b"]);
    expect(loaded.nodes.get("a")).toEqual(result("a"));
  });

  it("keeps the latest record of a step and the latest manifest", async () => {
    const store = make();
    await store.write(manifest("run-1"));
    await store.recordNode("run-1", result("a", "1".repeat(64)));
    await store.recordNode("run-1", result("a", "2".repeat(64)));
    await store.write(manifest("run-1", { status: "failed" }));
    const loaded = await store.load("run-1");
    expect(loaded.nodes.get("a")?.key).toBe("2".repeat(64));
    expect(loaded.run.status).toBe("failed");
  });

  it("keeps runs apart and lists them newest first", async () => {
    const store = make();
    await store.write(manifest("run-old", { startTime: "2026-01-01T00:00:00.000Z" }));
    await store.write(manifest("run-new", { startTime: "2026-03-01T00:00:00.000Z" }));
    await store.recordNode("run-old", result("a"));
    expect((await store.list()).map((r) => r.runId)).toEqual(["run-new", "run-old"]);
    expect((await store.load("run-new")).nodes.size).toBe(0);
  });

  it("throws CheckpointNotFoundError for an unknown run and for an id that is not one", async () => {
    const store = make();
    await expect(store.load("run-nope")).rejects.toBeInstanceOf(CheckpointNotFoundError);
    await expect(store.load("../../etc")).rejects.toBeInstanceOf(CheckpointNotFoundError);
    await expect(store.load("run-nope")).rejects.toThrow(`No checkpoint for run "run-nope" in ${store.location}.`);
  });
});

describe("FolderCheckpointStore", () => {
  it("names step records by a hash of the step name, never the name itself", async () => {
    const dir = tempDir();
    const store = new FolderCheckpointStore(dir);
    await store.write(manifest("run-1"));
    await store.recordNode("run-1", result("../../escape"));
    expect(readdirSync(join(dir, "run-1", "nodes"))).toEqual([expect.stringMatching(/^[0-9a-f]{32}\.json$/)]);
    expect(existsSync(join(dir, "escape"))).toBe(false);
  });

  it("skips a torn step record (a crash mid-write leaves none: this is a file edited by hand)", async () => {
    const dir = tempDir();
    const store = new FolderCheckpointStore(dir);
    await store.write(manifest("run-1"));
    await store.recordNode("run-1", result("a"));
    writeFileSync(join(dir, "run-1", "nodes", "torn.json"), "{ half");
    expect([...(await store.load("run-1")).nodes.keys()]).toEqual(["a"]);
  });

  it("is still what `new CheckpointStore(dir)` makes", () => {
    expect(new CheckpointStore(tempDir())).toBeInstanceOf(FolderCheckpointStore);
  });
});
