// The CheckpointStore contract over the folder store (the default), the tests' in-memory one, and the store
// in a blob store (S3 served by s3rver, which the test starts, and a shared folder).
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CheckpointNotFoundError, CheckpointStore, FolderCheckpointStore, type RunCheckpoint, type StoredResult } from "../../src/index.js";
import { pruneCheckpoints } from "../../src/checkpoint/prune-checkpoints.js";
import { BlobCheckpointStore } from "../../src/stores/blob-checkpoint-store.js";
import { FolderBlobStore } from "../../src/stores/folder-blob-store.js";
import { openBlobStore } from "../../src/stores/open-blob-store.js";
import { MemoryCheckpointStore } from "../helpers/memory-stores.js";
import { startS3Server } from "../helpers/s3-server.js";
import { tempDir } from "../helpers/temp-dir.js";

function manifest(runId: string, over: Partial<RunCheckpoint> = {}): RunCheckpoint {
  return {
    format: 1, runId, pipelineName: "p", batchRunId: "b", attempt: 1, status: "running", startTime: "2026-01-01T00:00:00.000Z",
    updated: "2026-01-01T00:00:00.000Z", steps: ["a", "b"], ...over,
  };
}

const result = (step: string, key = "k".repeat(64)): StoredResult => ({ key, step, outputs: {} });

let s3: Awaited<ReturnType<typeof startS3Server>>;
beforeAll(async () => {
  s3 = await startS3Server();
});

const IMPLEMENTATIONS: Array<{ name: string; make: () => CheckpointStore }> = [
  { name: "FolderCheckpointStore", make: () => new FolderCheckpointStore(tempDir()) },
  { name: "MemoryCheckpointStore", make: () => new MemoryCheckpointStore() },
  { name: "BlobCheckpointStore on S3 (s3rver)", make: () => new BlobCheckpointStore(openBlobStore(s3.address(`c${Math.random().toString(16).slice(2, 8)}`))) },
  { name: "BlobCheckpointStore on a shared folder", make: () => new BlobCheckpointStore(new FolderBlobStore(tempDir())) },
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

  it("removes a run's checkpoint, and only that one; removing one that is not there is no error", async () => {
    const store = make();
    await store.write(manifest("run-gone", { status: "success" }));
    await store.recordNode("run-gone", result("a"));
    await store.write(manifest("run-kept", { status: "success" }));
    await store.recordNode("run-kept", result("a"));
    await store.flush();
    await store.remove?.("run-gone");
    await store.remove?.("run-never");
    expect((await store.list()).map((r) => r.runId)).toEqual(["run-kept"]);
    await expect(store.load("run-gone")).rejects.toBeInstanceOf(CheckpointNotFoundError);
    expect([...(await store.load("run-kept")).nodes.keys()]).toEqual(["a"]);
    await expect(store.remove?.("../../etc")).rejects.toBeInstanceOf(CheckpointNotFoundError);
  });

  it("pruneCheckpoints keeps a pipeline's newest 20 and every run that did not succeed, and leaves other pipelines alone", async () => {
    const store = make();
    const time = (i: number): string => new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString();
    for (let i = 0; i < 26; i++) {
      const status = i === 1 ? "failed" : i === 2 ? "running" : i === 3 ? "interrupted" : "success";
      await store.write(manifest(`run-${String(i).padStart(2, "0")}`, { status, startTime: time(i) }));
    }
    await store.write(manifest("run-other", { pipelineName: "other", status: "success", startTime: time(0) }));
    const removed = await pruneCheckpoints(store, "p");
    // Newest first: run-25 .. run-06 are the 20 kept; of run-05 .. run-00, the three that did not succeed stay.
    expect(removed.sort()).toEqual(["run-00", "run-04", "run-05"]);
    const left = (await store.list()).map((r) => r.runId);
    expect(left).toHaveLength(24);
    expect(left).toContain("run-other");
    expect(left.filter((id) => ["run-01", "run-02", "run-03"].includes(id))).toHaveLength(3);
    expect(await pruneCheckpoints(store, "p")).toEqual([]);
  });

  it("throws CheckpointNotFoundError for an unknown run and for an id that is not one", async () => {
    const store = make();
    await expect(store.load("run-nope")).rejects.toBeInstanceOf(CheckpointNotFoundError);
    await expect(store.load("../../etc")).rejects.toBeInstanceOf(CheckpointNotFoundError);
    await expect(store.load("run-nope")).rejects.toThrow(`No checkpoint for run "run-nope" in ${store.location}.`);
  });
});

describe("FolderCheckpointStore", () => {
  it("keeps a run's step records in one append-only log: a step's name never names a file", async () => {
    const dir = tempDir();
    const store = new FolderCheckpointStore(dir);
    await store.write(manifest("run-1"));
    await Promise.all([store.recordNode("run-1", result("../../escape")), store.recordNode("run-1", result("b"))]);
    expect(readdirSync(join(dir, "run-1")).sort()).toEqual(["nodes.log", "run.json"]);
    expect(readFileSync(join(dir, "run-1", "nodes.log"), "utf8").split("\n")).toHaveLength(3);
    expect(existsSync(join(dir, "escape"))).toBe(false);
  });

  it("skips a torn last record (a crash mid-append) and a record whose checksum fails, and appends after them", async () => {
    const dir = tempDir();
    await new FolderCheckpointStore(dir).write(manifest("run-1"));
    const first = new FolderCheckpointStore(dir);
    await first.recordNode("run-1", result("a"));
    await first.recordNode("run-1", result("b"));
    const log = join(dir, "run-1", "nodes.log");
    // Corrupt one byte of b's record, then leave half a record at the end, as a killed process would.
    const text = readFileSync(log, "utf8");
    writeFileSync(log, text.replace('"step":"b"', '"step":"c"'));
    appendFileSync(log, text.split("\n")[0]?.slice(0, 40) ?? "");
    expect([...(await new FolderCheckpointStore(dir).load("run-1")).nodes.keys()]).toEqual(["a"]);
    // The resumed attempt appends to the same log: its record starts a line of its own.
    const resumed = new FolderCheckpointStore(dir);
    await resumed.recordNode("run-1", result("d"));
    expect([...(await new FolderCheckpointStore(dir).load("run-1")).nodes.keys()]).toEqual(["a", "d"]);
  });

  it("still reads a step record of a checkpoint written as a file per step, and skips a torn one", async () => {
    const dir = tempDir();
    const store = new FolderCheckpointStore(dir);
    await store.write(manifest("run-1"));
    mkdirSync(join(dir, "run-1", "nodes"));
    writeFileSync(join(dir, "run-1", "nodes", "0123.json"), JSON.stringify(result("old")));
    writeFileSync(join(dir, "run-1", "nodes", "torn.json"), "{ half");
    await store.recordNode("run-1", result("a"));
    expect([...(await store.load("run-1")).nodes.keys()].sort()).toEqual(["a", "old"]);
  });

  it("writes records appended together in one batch, and each append resolves once its record is written", async () => {
    const dir = tempDir();
    const store = new FolderCheckpointStore(dir);
    await store.write(manifest("run-1"));
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.recordNode("run-1", result(`s${i}`))));
    expect((await new FolderCheckpointStore(dir).load("run-1")).nodes.size).toBe(50);
  });

  it("removes a run's folder by renaming it away first, and the next removal finishes what one cut short left", async () => {
    const dir = tempDir();
    const store = new FolderCheckpointStore(dir);
    await store.write(manifest("run-1", { status: "success" }));
    await store.recordNode("run-1", result("a"));
    await store.flush();
    // A removal cut short after its rename: the folder is no checkpoint any more, and the next removal deletes it.
    mkdirSync(join(dir, ".removing-run-0-0000"));
    writeFileSync(join(dir, ".removing-run-0-0000", "run.json"), JSON.stringify(manifest("run-0")));
    expect((await store.list()).map((r) => r.runId)).toEqual(["run-1"]);
    await store.remove("run-1");
    expect(readdirSync(dir)).toEqual([]);
  });

  it("is still what `new CheckpointStore(dir)` makes", () => {
    expect(new CheckpointStore(tempDir())).toBeInstanceOf(FolderCheckpointStore);
  });
});
