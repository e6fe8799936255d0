import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { StoredResult } from "../cache/stored-output.js";
import { sha256Hex } from "../cache/object-store.js";
import { LineaError } from "../errors/linea-error.js";
import { writeFileAtomic } from "../util/atomic-file.js";
import { isSafeId } from "../util/ids.js";
import { q } from "../util/quote.js";
import type { RunPolicyJson } from "../history/run-policy.js";

/** Where a checkpointed run stands. */
export const CHECKPOINT_STATUSES = ["running", "success", "failed", "interrupted"] as const;
export type CheckpointStatus = (typeof CHECKPOINT_STATUSES)[number];

/** A run's checkpoint manifest: which run, of which pipeline, at which attempt, and how it stands. */
export interface RunCheckpoint {
  readonly format: 1;
  readonly runId: string;
  readonly pipelineName: string;
  readonly batchRunId: string;
  /** 1 for the first attempt of the run, then one more per resume. */
  readonly attempt: number;
  readonly status: CheckpointStatus;
  readonly startTime: string;
  readonly updated: string;
  readonly steps: readonly string[];
  /** The pipeline file the CLI ran, so `linea resume <run-id>` can find it again. */
  readonly pipelinePath?: string;
  /** The policies the run ran under (cache, retries, workers, ...), which its resume keeps. */
  readonly policy?: RunPolicyJson;
}

/** A run's checkpoint as loaded: the manifest and the stored result of every step that succeeded. */
export interface LoadedCheckpoint {
  readonly run: RunCheckpoint;
  readonly nodes: ReadonlyMap<string, StoredResult>;
}

/** `resume()` of a run that already succeeded: there is nothing to run again. */
export class NothingToResumeError extends LineaError {
  readonly runId: string;

  constructor(runId: string, attempt: number) {
    super("CHECKPOINT", `Nothing to resume in run ${q(runId)}: it already succeeded (attempt ${attempt}). Run the pipeline again to make a new run.`);
    this.runId = runId;
  }
}

/** No checkpoint exists for a run id (or the id is not one linea makes). */
export class CheckpointNotFoundError extends LineaError {
  readonly runId: string;

  constructor(runId: string, dir: string) {
    super("CHECKPOINT", `No checkpoint for run ${q(runId)} in ${dir}. Check the run id (\`linea history\` lists runs) and checkpointDir.`);
    this.runId = runId;
  }
}

/**
 * Per-run checkpoints: `<dir>/<runId>/run.json` (the manifest) and one file per succeeded step under
 * `nodes/` (named by a hash of the step name, never the name itself), each written atomically, so a crash
 * at any moment leaves only whole records. A step's record points at its outputs in the object store.
 */
export class CheckpointStore {
  constructor(readonly dir: string) {}

  private runDir(runId: string): string {
    if (!isSafeId(runId)) throw new CheckpointNotFoundError(runId, this.dir);
    return join(this.dir, runId);
  }

  async write(run: RunCheckpoint): Promise<void> {
    await writeFileAtomic(join(this.runDir(run.runId), "run.json"), JSON.stringify(run, null, 2));
  }

  async recordNode(runId: string, result: StoredResult): Promise<void> {
    await writeFileAtomic(join(this.runDir(runId), "nodes", `${sha256Hex(result.step).slice(0, 32)}.json`), JSON.stringify(result));
  }

  /** @throws CheckpointNotFoundError */
  async load(runId: string): Promise<LoadedCheckpoint> {
    const dir = this.runDir(runId);
    let run: RunCheckpoint;
    try {
      run = JSON.parse(await readFile(join(dir, "run.json"), "utf8")) as RunCheckpoint;
    } catch {
      throw new CheckpointNotFoundError(runId, this.dir);
    }
    const nodes = new Map<string, StoredResult>();
    for (const file of await readdir(join(dir, "nodes")).catch(() => [] as string[])) {
      if (!file.endsWith(".json")) continue;
      const result = await readFile(join(dir, "nodes", file), "utf8").then((t) => JSON.parse(t) as StoredResult, () => undefined);
      if (result !== undefined && typeof result.step === "string") nodes.set(result.step, result);
    }
    return { run, nodes };
  }

  /** Every run's manifest, newest first. */
  async list(): Promise<RunCheckpoint[]> {
    const runs: RunCheckpoint[] = [];
    for (const runId of await readdir(this.dir).catch(() => [] as string[])) {
      if (!isSafeId(runId)) continue;
      const run = await readFile(join(this.dir, runId, "run.json"), "utf8").then((t) => JSON.parse(t) as RunCheckpoint, () => undefined);
      if (run !== undefined) runs.push(run);
    }
    return runs.sort((a, b) => b.startTime.localeCompare(a.startTime));
  }
}
