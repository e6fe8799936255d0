import type { StoredOutput } from "../cache/stored-output.js";
import type { StepColumnLineage } from "../lineage/column-lineage.js";
import type { AttemptOutcome, CheckResult } from "../model/run-model.js";
import type { Snapshot } from "../track/snapshot.js";

/**
 * Where a dataset a task reads or writes is. Plain data: a task and its result cross process boundaries as
 * JSON. `memory` data lives in the coordinator's data map (an executor in the coordinator's process reads
 * and writes it directly); `stored` data is a content-addressed object of the object store, or a read step's
 * source file with its content hash (any executor that reaches the store can load it).
 */
export type DataRef =
  | { readonly kind: "memory"; readonly dataset: string }
  | { readonly kind: "stored"; readonly dataset: string; readonly stored: StoredOutput };

/** One attempt of one step, as plain data: everything an executor on another machine needs to run it. */
export interface StepTask {
  readonly runId: string;
  /** 1 for a fresh run, 2 and up for its resumes. */
  readonly runAttempt: number;
  readonly pipelineName: string;
  /** The plan's fingerprint: an executor that loaded another version of the pipeline refuses the task. */
  readonly batchRunId: string;
  /** The step, by its position in the pipeline's steps and its name (both must match). */
  readonly step: { readonly index: number; readonly name: string };
  /** 1-based attempt of the step in this run attempt. */
  readonly attempt: number;
  /** The step's params (JSON). */
  readonly params: Readonly<Record<string, unknown>>;
  /** The attempt's time limit, if any: the executor fails the attempt with outcome `timeout` past it. */
  readonly timeoutMs: number | undefined;
  /** Each input by the step's local name for it. */
  readonly inputs: Readonly<Record<string, DataRef>>;
  /** The step's cache key, when it has one (for logs and for stores keyed by it). */
  readonly cacheKey?: string;
  /** The data version each output will carry (derived from the key), when the step has a key. */
  readonly dataVersions?: Readonly<Record<string, string>>;
}

/** An error as plain data: what crossed the boundary of the executor. */
export interface TaskError {
  /** The error's class name (`StepFailedError`, `StepTimeoutError`, `CheckFailedError`, ...). */
  readonly name: string;
  /** A LineaError's code, when it was one. */
  readonly code?: string;
  readonly message: string;
  readonly stack?: string;
}

/** Wall-clock times of an attempt, as the executor measured them. */
export interface TaskTimings {
  readonly startTime: string;
  readonly endTime: string;
  readonly durationMs: number;
}

/** How one attempt of one step ended, as plain data. */
export interface StepTaskResult {
  readonly outcome: AttemptOutcome;
  /** Each output by dataset name (empty unless the outcome is `success`). */
  readonly outputs: Readonly<Record<string, DataRef>>;
  /** Rows of each output. */
  readonly rowCounts: Readonly<Record<string, number>>;
  /** The data checks of the outputs (those of a failed check too, when checks failed the attempt). */
  readonly checks: readonly CheckResult[];
  /** Snapshots of the outputs, when the executor took them (redacted where it ran); else the coordinator's tracker does. */
  readonly snapshots?: Readonly<Record<string, Snapshot>>;
  readonly timings: TaskTimings;
  /** The step's column lineage (COLUMN_LINEAGE.md), for a success. */
  readonly columnLineage?: StepColumnLineage;
  /** Why the attempt did not succeed. */
  readonly error?: TaskError;
  /**
   * The error object itself, only when the attempt ran in the coordinator's own process (never serialised):
   * the retry policy's `retryOn` and `result.nodes[step].error` then see exactly what the step threw.
   */
  readonly thrown?: unknown;
}

/**
 * Runs one attempt of one step. The coordinator (the run) keeps the scheduling, retries, events, tracking,
 * cache, checkpoints and history; an executor only turns a {@link StepTask} into a {@link StepTaskResult}.
 * `run` never rejects because the step failed: a failure is a result. `signal` aborts when the run is
 * interrupted; the executor then ends the attempt with outcome `interrupted` as soon as it can.
 *
 * Implementations: `InProcessStepExecutor` (the default: the step runs in this process, on the run's
 * engines); a queue-backed one sends the task to workers on other machines, whose outputs come back as
 * `stored` references.
 */
export interface StepExecutor {
  /** A short name for messages (`in-process`, `bullmq`, ...). */
  readonly kind: string;
  /**
   * True when tasks run in other processes: the coordinator then gives every input as a `stored` reference
   * (keeping it in the object store first) and registers `stored` outputs in its data map.
   */
  readonly remote: boolean;
  run(task: StepTask, signal: AbortSignal): Promise<StepTaskResult>;
  /** Releases what the executor holds (connections, workers). */
  close(): Promise<void>;
}
