import type { CheckpointStore } from "./checkpoint-store.js";

/**
 * How many of a pipeline's newest checkpoints are kept whatever their status: a selection (`--select`)
 * searches these for the outputs of steps it does not run (src/cache/stored-inputs.ts).
 */
export const CHECKPOINTS_KEPT = 20;

/**
 * Deletes the checkpoints of a pipeline's runs that succeeded, past its {@link CHECKPOINTS_KEPT} newest:
 * a succeeded run has nothing to resume, and selections search only the newest. The checkpoints of runs
 * that did not succeed (failed, interrupted, or whose process died) are kept, whatever their age: they are
 * what `linea resume` needs. Only the checkpoint records go; the cached objects they point at stay until
 * the cache's eviction collects them. Returns the run ids removed; a store without `remove` keeps everything.
 */
export async function pruneCheckpoints(store: CheckpointStore, pipelineName: string, keep = CHECKPOINTS_KEPT): Promise<string[]> {
  if (store.remove === undefined) return [];
  const runs = (await store.list()).filter((run) => run.pipelineName === pipelineName);
  const removed: string[] = [];
  for (const run of runs.slice(keep)) {
    if (run.status !== "success") continue;
    await store.remove(run.runId);
    removed.push(run.runId);
  }
  return removed;
}
