import type { RunResult } from "../execute/run-result.js";

/**
 * How a run stands in the history: `running` from its start until it is recorded as finished (a run whose
 * process died stays `running`), then `success`, `failed` or `interrupted` (stopped by its signal).
 */
export const RUN_STATUSES = ["running", "success", "failed", "interrupted"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** The history status of a finished run. */
export function runStatusOf(result: Pick<RunResult, "status" | "interrupted">): Exclude<RunStatus, "running"> {
  if (result.interrupted) return "interrupted";
  return result.status;
}

/** True when `value` is one of {@link RUN_STATUSES}. */
export function isRunStatus(value: unknown): value is RunStatus {
  return typeof value === "string" && (RUN_STATUSES as readonly string[]).includes(value);
}
