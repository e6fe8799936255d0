import type { StoredResult } from "../cache/stored-output.js";
import { LineaError } from "../errors/linea-error.js";
import type { RunPolicyJson } from "../model/run-policy.js";
import { q } from "../util/quote.js";

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

/** No checkpoint exists for a run id (or the id is not one linea makes). */
export class CheckpointNotFoundError extends LineaError {
  readonly runId: string;

  constructor(runId: string, where: string) {
    super("CHECKPOINT", `No checkpoint for run ${q(runId)} in ${where}. Check the run id (\`linea history\` lists runs) and checkpointDir.`);
    this.runId = runId;
  }
}

/** `resume()` of a run that already succeeded: there is nothing to run again. */
export class NothingToResumeError extends LineaError {
  readonly runId: string;

  constructor(runId: string, attempt: number) {
    super("CHECKPOINT", `Nothing to resume in run ${q(runId)}: it already succeeded (attempt ${attempt}). Run the pipeline again to make a new run.`);
    this.runId = runId;
  }
}
