import type { PersistedOutput } from "../cache/stored-output.js";
import type { DataMap } from "../data/data-map.js";
import type { StatusCounts } from "../events/event-types.js";
import type { ExecutionPlan } from "../plan/execution-plan.js";
import type { Tracker } from "../track/tracker.js";
import type { NodeResult } from "./node-result.js";

/** A warning of the run: an observer (hook, tracker, history, ...) failed, and the run went on. */
export interface RunWarning {
  readonly source: string;
  readonly message: string;
}

/** What `execute()` returns: what happened to every node. It never throws because a step failed. */
export interface RunResult {
  readonly runId: string;
  /** The plan's fingerprint, shared by every run of the same pipeline shape. */
  readonly batchRunId: string;
  readonly pipelineName: string;
  /** `success` when every node succeeded or was cached. */
  readonly status: "success" | "failed";
  /** True when the run was stopped by its signal (Ctrl-C in the CLI) before it could finish. */
  readonly interrupted: boolean;
  /** 1 for a fresh run, 2 and up for its resumes (which keep its runId). */
  readonly runAttempt: number;
  readonly startTime: string;
  readonly endTime: string;
  readonly durationMs: number;
  /** Every node by step name, in plan order. */
  readonly nodes: Readonly<Record<string, NodeResult>>;
  readonly counts: StatusCounts;
  readonly plan: ExecutionPlan;
  /** Every dataset of the run: sources and outputs. */
  readonly dataMap: DataMap;
  readonly tracker: Tracker;
  readonly warnings: readonly RunWarning[];
  /**
   * How each output the run made was kept by the cache and checkpoint, or why it was not (the `persist`
   * policy), in the order decided. Empty when neither is on.
   */
  readonly persisted: readonly PersistedOutput[];
  /** Drops the run's DuckDB tables; the data map is unusable afterwards. */
  dispose(): Promise<void>;
}
