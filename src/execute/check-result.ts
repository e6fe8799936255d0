import type { CheckKind, CheckSeverity } from "../step/check.js";

/** How a data check ended: passed, failed (rows broke it), or could not be evaluated (`error`). */
export const CHECK_STATUSES = ["pass", "fail", "error"] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/** The outcome of one data check on one output. */
export interface CheckResult {
  readonly name: string;
  readonly kind: CheckKind;
  readonly severity: CheckSeverity;
  readonly dataset: string;
  /** The column(s) checked, for column checks. */
  readonly columns: readonly string[];
  readonly status: CheckStatus;
  /** Rows that broke the check (for row_count: the row count itself). */
  readonly failingRows: number;
  readonly totalRows: number;
  /** What was checked and what was found: `3 of 1,457 rows have a null customer_id`. */
  readonly message: string;
}
