import type { DatasetHandle } from "../data/dataset-handle.js";
import type { StepSpec } from "../step/step-spec.js";
import type { RunContext } from "./run-context.js";

/**
 * Runs step bodies somewhere else (a worker pool): the coordinator keeps the scheduling, retries,
 * timeouts, events and tracking; only the body of each attempt goes out, and its outputs come back as
 * handles of stored data. The queue-backed executor of `src/distributed/` implements it.
 */
export interface RemoteBodies {
  /** True when this step's body runs remotely (its `placement` is not "local"). */
  handles(spec: StepSpec): boolean;
  /** Runs one attempt of the step's body remotely; rejects when it fails, and cancels it when `signal` aborts. */
  run(spec: StepSpec, rc: RunContext, attempt: number, signal: AbortSignal): Promise<DatasetHandle[]>;
}
