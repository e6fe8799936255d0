import { assertNever } from "../util/assert-never.js";

/** The kinds of data check a step may declare on its outputs. */
export const CHECK_KINDS = ["not_null", "unique", "accepted_values", "row_count", "expression"] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

/** `error` fails the step; `warn` is recorded and reported only. */
export const CHECK_SEVERITIES = ["error", "warn"] as const;
export type CheckSeverity = (typeof CHECK_SEVERITIES)[number];

interface CheckCommon {
  /** Shown in results; defaults to a name derived from the check. */
  name?: string;
  /** @default "error" */
  severity?: CheckSeverity;
  /** The output dataset checked; defaults to the step's only output. */
  dataset?: string;
}

/** Every check kind, keyed on `kind`. */
export type Check =
  | (CheckCommon & { kind: "not_null"; column: string })
  | (CheckCommon & { kind: "unique"; column: string | readonly string[] })
  | (CheckCommon & { kind: "accepted_values"; column: string; values: readonly (string | number | boolean)[] })
  | (CheckCommon & { kind: "row_count"; min?: number; max?: number })
  | (CheckCommon & { kind: "expression"; expression: string });

/** The columns a check is about (none for row_count and expression). */
export function checkColumns(check: Check): string[] {
  switch (check.kind) {
    case "not_null":
    case "accepted_values":
      return [check.column];
    case "unique":
      return typeof check.column === "string" ? [check.column] : [...check.column];
    case "row_count":
    case "expression":
      return [];
    default:
      return assertNever(check, "check");
  }
}
