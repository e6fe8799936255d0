import type { ExecutionPlan } from "../plan/execution-plan.js";
import type { StepExecution } from "./step-execution.js";

/**
 * What the exports (lineage JSON, OpenLineage, HTML) read of a run: a live `Tracker` (which has all of
 * it), or a view of a past run's stored lineage document ({@link lineageView}).
 */
export interface LineageSource {
  readonly pipelineName: string;
  readonly runId: string;
  readonly batchRunId: string;
  readonly runAttempt: number;
  readonly plan: ExecutionPlan;
  readonly baseDir: string;
  readonly status: "running" | "success" | "failed";
  readonly startTime: string | undefined;
  readonly endTime: string | undefined;
  readonly durationMs: number;
  readonly redactedColumns: readonly string[];
  readonly stepExecutions: StepExecution[];
  /** Resolves once every snapshot under way is taken. */
  settled(): Promise<void>;
}
