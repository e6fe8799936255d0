import type { RunResult } from "../execute/run-result.js";

/**
 * How a run stands in the history: `running` from its start until it is recorded as finished, then
 * `success`, `failed` or `interrupted` (stopped by its signal); `crashed` once linea finds that the process
 * that ran it died (on this host) before finishing it.
 */
export const RUN_STATUSES = ["running", "success", "failed", "interrupted", "crashed"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** The statuses a run's own process records at its end. */
export type FinishedRunStatus = Exclude<RunStatus, "running" | "crashed">;

/** The history status of a finished run. */
export function runStatusOf(result: Pick<RunResult, "status" | "interrupted">): FinishedRunStatus {
  if (result.interrupted) return "interrupted";
  return result.status;
}

/** True when `value` is one of {@link RUN_STATUSES}. */
export function isRunStatus(value: unknown): value is RunStatus {
  return typeof value === "string" && (RUN_STATUSES as readonly string[]).includes(value);
}
