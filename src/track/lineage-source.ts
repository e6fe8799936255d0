import type { Tracker } from "./tracker.js";

/**
 * What the exports (lineage JSON, OpenLineage, HTML) read of a run: a live {@link Tracker}, or a view of a
 * past run's stored lineage document ({@link lineageView}).
 */
export type LineageSource = Pick<
  Tracker,
  | "pipelineName" | "runId" | "batchRunId" | "runAttempt" | "plan" | "baseDir" | "status" | "startTime" | "endTime"
  | "durationMs" | "redactedColumns" | "stepExecutions" | "settled"
>;
