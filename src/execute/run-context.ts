import type { DataMap } from "../data/data-map.js";
import type { RunEvents } from "../events/run-events.js";
import type { PlannedPipeline } from "../plan/build-plan.js";
import type { RetryOptions } from "../step/retry-policy.js";
import type { DatasetHandle } from "../data/dataset-handle.js";
import type { RunRuntime } from "./run-runtime.js";

/** The policies of one run. */
export interface RunSettings {
  readonly maxWorkers: number;
  readonly continueOnError: boolean;
  /** Run-wide retry options (the step's own override them field by field). */
  readonly retry: RetryOptions;
  readonly timeoutMs: number | undefined;
  /** Relative read and write paths resolve against it. */
  readonly baseDir: string;
}

/** Bodies started before their node: {@link StartedAhead.take} hands one to the node's first attempt, once. */
export interface StartedAhead {
  /** The outputs of the body started ahead for node `index` (undefined when none was); `signal` interrupts it from now on. */
  take(index: number, signal: AbortSignal): Promise<DatasetHandle[]> | undefined;
}

/** Everything one node's execution needs from its run. */
export interface RunContext {
  readonly runId: string;
  /** 1 for a fresh run, 2 and up for its resumes. */
  readonly runAttempt: number;
  readonly pipelineName: string;
  readonly planned: PlannedPipeline;
  readonly settings: RunSettings;
  readonly dataMap: DataMap;
  readonly runtime: RunRuntime;
  /** Aborted when the run is interrupted. */
  readonly signal: AbortSignal;
  readonly events: RunEvents;
  /** Read steps started before the plan was made (a ReadAhead): a first attempt takes its read from here. */
  readAhead?: StartedAhead;
  /** Reports a warning of the run (it goes to the logger and to `result.warnings`). */
  warn(source: string, message: string): void;
}
