import { assertNever } from "../../util/assert-never.js";
import type { StepExecution } from "../step-execution.js";

/** How the report colors a step: its status, with skipped steps split by why they never ran. */
export const REPORT_STATUSES = ["success", "cached", "failed", "blocked", "aborted", "running", "pending"] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** What the report calls each status. */
export const STATUS_LABELS: Readonly<Record<ReportStatus, string>> = {
  success: "success",
  cached: "cached",
  failed: "failed",
  blocked: "skipped (blocked)",
  aborted: "skipped (aborted)",
  running: "running",
  pending: "pending",
};

/** The report status of a step record: a skipped step is `blocked` or else `aborted`. */
export function reportStatusOf(step: Pick<StepExecution, "status" | "kind">): ReportStatus {
  switch (step.status) {
    case "success":
    case "cached":
    case "failed":
    case "running":
    case "pending":
      return step.status;
    case "skipped":
      return step.kind === "blocked" ? "blocked" : "aborted";
    default:
      return assertNever(step.status, "step status");
  }
}

/** The CSS class that colors a status (names from the closed set above, never from data). */
export function statusClass(status: ReportStatus): string {
  return `status-${status}`;
}
