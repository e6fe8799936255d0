import type { StepExecution } from "../step-execution.js";
import type { LineageSource } from "../lineage-source.js";
import { reportStatusOf, type ReportStatus } from "./report-status.js";

/** What the report reads from a run: a `Tracker` has all of it. */
export type HtmlReportSource = Pick<
  LineageSource,
  | "pipelineName" | "runId" | "batchRunId" | "runAttempt" | "plan" | "status" | "startTime" | "endTime" | "durationMs"
  | "redactedColumns" | "stepExecutions"
>;

/** What the parts of the report share: the run, its steps in plan order, and each step's index and status. */
export interface ReportContext {
  readonly source: HtmlReportSource;
  readonly steps: readonly StepExecution[];
  readonly indexOf: ReadonlyMap<string, number>;
  readonly statusOf: ReadonlyMap<string, ReportStatus>;
}

/** The context of one report; steps are read once (`stepExecutions` copies them on every access). */
export function reportContext(source: HtmlReportSource): ReportContext {
  const steps = source.stepExecutions;
  return {
    source,
    steps,
    indexOf: new Map(steps.map((s, i) => [s.stepName, i])),
    statusOf: new Map(steps.map((s) => [s.stepName, reportStatusOf(s)])),
  };
}

/**
 * The id of a step's panel: `step-<index in plan order>`. Never the step's name: ids and fragment links
 * built from indices are unique and need no escaping.
 */
export function stepAnchor(index: number): string {
  return `step-${index}`;
}
