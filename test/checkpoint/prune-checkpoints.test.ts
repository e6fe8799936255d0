// A run that succeeds deletes its pipeline's old succeeded checkpoints, past the newest 20; the checkpoints
// of runs that did not succeed stay for `resume`.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FolderCheckpointStore, type RunCheckpoint } from "../../src/index.js";
import { CHECKPOINTS_KEPT } from "../../src/checkpoint/prune-checkpoints.js";
import { tempDir, testOrchestrator } from "../helpers/temp-dir.js";

function manifest(runId: string, status: RunCheckpoint["status"], minute: number, pipelineName = "pruned"): RunCheckpoint {
  const time = new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
  return { format: 1, runId, pipelineName, batchRunId: "b", attempt: 1, status, startTime: time, updated: time, steps: ["a"] };
}

const steps = [{ name: "a", outputs: ["a"], run: () => [{ n: 1 }] }];

describe("old checkpoints", () => {
  it("a run that succeeds deletes its pipeline's succeeded checkpoints past the newest 20, and keeps unfinished runs' and other pipelines'", async () => {
    const dir = tempDir();
    const checkpoints = join(dir, "checkpoints");
    const store = new FolderCheckpointStore(checkpoints);
    for (let i = 0; i < 24; i++) await store.write(manifest(`old-${String(i).padStart(2, "0")}`, i === 0 ? "failed" : "success", i));
    await store.write(manifest("other-00", "success", 0, "another"));
    const run = await testOrchestrator({ name: "pruned", steps, baseDir: dir, checkpoint: true, checkpointDir: checkpoints }).execute();
    expect(run.status).toBe("success");
    expect(run.warnings).toEqual([]);
    const left = readdirSync(checkpoints).sort();
    // The new run and the 19 newest old ones make 20; old-00 failed (resume may want it); other-00 is another pipeline's.
    expect(left).toHaveLength(CHECKPOINTS_KEPT + 2);
    expect(left).toContain(run.runId);
    expect(left).toContain("old-00");
    expect(left).toContain("other-00");
    expect(left.filter((id) => id.startsWith("old-") && id !== "old-00")).toEqual(Array.from({ length: 19 }, (_, i) => `old-${String(i + 5).padStart(2, "0")}`));
  });

  it("a run that fails deletes nothing", async () => {
    const dir = tempDir();
    const checkpoints = join(dir, "checkpoints");
    const store = new FolderCheckpointStore(checkpoints);
    for (let i = 0; i < 22; i++) await store.write(manifest(`old-${String(i).padStart(2, "0")}`, "success", i));
    const failing = [{ name: "a", outputs: ["a"], run: (): never => { throw new Error("no") } }];
    const run = await testOrchestrator({ name: "pruned", steps: failing, baseDir: dir, checkpoint: true, checkpointDir: checkpoints }).execute();
    expect(run.status).toBe("failed");
    expect(readdirSync(checkpoints)).toHaveLength(23);
  });
});
