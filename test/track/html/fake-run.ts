import type { ExecutionPlan, StepExecution } from "../../../src/index.js";
import type { HtmlReportSource } from "../../../src/track/html/report-context.js";

/** A step record with defaults: a `run` step that has not run. */
export function record(stepName: string, fields: Partial<StepExecution> = {}): StepExecution {
  return {
    stepName, layer: undefined, status: "pending", startTime: undefined, endTime: undefined, durationMs: 0, attempts: 0,
    cached: false, inputs: [], outputs: [stepName], body: { kind: "run", engine: "rows" }, beforeSnapshot: undefined,
    beforeSnapshots: {}, afterSnapshot: undefined, afterSnapshots: {}, schemaDiff: undefined, rowDelta: undefined,
    checks: [], attemptLog: [], ...fields,
  };
}

/** A hand-made run of independent steps (one layer), for what a real run cannot show on demand. */
export function fakeRun(steps: StepExecution[], fields: Partial<HtmlReportSource> = {}): HtmlReportSource {
  const plan: ExecutionPlan = {
    batchRunId: "batch", pipelineName: "fake", order: steps.map((s) => s.stepName), layers: [steps.map((s) => s.stepName)],
    steps: steps.map((s) => ({ name: s.stepName, layer: s.layer, upstream: [], downstream: [], inputs: [], outputs: [...s.outputs], depth: 0 })),
    sources: [], edges: [],
  };
  return {
    pipelineName: "fake", runId: "run-1", batchRunId: "batch", runAttempt: 1, plan, status: "success",
    startTime: "2025-01-01T00:00:00.000Z", endTime: "2025-01-01T00:00:01.000Z", durationMs: 1000, redactedColumns: [],
    stepExecutions: steps, ...fields,
  };
}
