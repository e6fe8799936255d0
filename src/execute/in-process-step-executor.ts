import type { DatasetForm } from "../data/dataset.js";
import type { DatasetHandle } from "../data/dataset-handle.js";
import { LineaError } from "../errors/linea-error.js";
import type { StepColumnLineage } from "../lineage/column-lineage.js";
import { safeStepColumnLineage } from "./step-column-lineage.js";
import type { CheckResult } from "../model/run-model.js";
import type { StepSpec } from "../step/step-spec.js";
import { nowIso } from "../util/clock.js";
import { errorMessage } from "../util/error-message.js";
import { rowCountsOf } from "./collect-outputs.js";
import type { RunContext } from "./run-context.js";
import { runAttempt } from "./run-attempt.js";
import { CheckFailedError } from "./run-checks.js";
import { StepTimeoutError } from "../errors/step-errors.js";
import type { DataRef, StepExecutor, StepTask, StepTaskResult, TaskError } from "./step-executor.js";
import { keyedRecord } from "../util/keyed-record.js";

/** An error as plain data. */
export function taskErrorOf(error: unknown): TaskError {
  const name = error instanceof Error ? error.name || error.constructor.name : "Error";
  return {
    name, message: errorMessage(error),
    ...(error instanceof LineaError ? { code: error.code } : {}),
    ...(error instanceof Error && error.stack !== undefined ? { stack: error.stack } : {}),
  };
}

/**
 * A succeeded step's column lineage, from its declaration and the schemas of its inputs and outputs (no
 * data is read: a `sql` step's SQL is planned on empty tables; its inputs' schemas as its engine sees them).
 * Never fails the step.
 */
function columnLineageOf(spec: StepSpec, rc: RunContext, outputs: readonly DatasetHandle[]): Promise<StepColumnLineage> {
  const need = (name: string, handle: DatasetHandle | undefined): DatasetHandle => {
    if (handle === undefined) throw new Error(`dataset ${JSON.stringify(name)} is not in the run`);
    return handle;
  };
  const sqlEngine = spec.body.kind === "sql" ? rc.runtime.engines.forBody("sql") : undefined;
  const sqlLineage = sqlEngine?.sqlLineage;
  return safeStepColumnLineage(spec, {
    input: async (dataset) => {
      const handle = need(dataset, rc.dataMap.handle(dataset));
      const sql = sqlEngine?.form;
      return sql === undefined ? handle.schema() : sql.schema(await handle.valueIn(sql.form as DatasetForm) as never, rc.runtime);
    },
    output: (dataset) => need(dataset, outputs.find((o) => o.name === dataset)).schema(),
    sqlLineage: sqlLineage === undefined ? undefined : (request) => sqlLineage.call(sqlEngine, request),
  });
}

/**
 * The default {@link StepExecutor}: runs each attempt in this process, on the run's own engines, reading
 * its inputs from the run's data map and putting its outputs there (its output references are `memory`
 * ones). It belongs to one run: the coordinator makes it with the run's context.
 */
export class InProcessStepExecutor implements StepExecutor {
  readonly kind = "in-process";
  readonly remote = false;

  constructor(private readonly rc: RunContext) {}

  async run(task: StepTask, signal: AbortSignal): Promise<StepTaskResult> {
    const startTime = nowIso();
    const started = performance.now();
    const rc = signal === this.rc.signal ? this.rc : { ...this.rc, signal };
    const timings = (): StepTaskResult["timings"] => ({ startTime, endTime: nowIso(), durationMs: performance.now() - started });
    try {
      const spec = this.specOf(task);
      const { outputs, checks } = await runAttempt(spec, task.attempt, task.timeoutMs, rc);
      const [rowCounts, columnLineage] = await Promise.all([rowCountsOf(outputs), columnLineageOf(spec, rc, outputs)]);
      const refs = keyedRecord<DataRef>();
      for (const output of outputs) {
        rc.dataMap.set(output);
        refs[output.name] = { kind: "memory", dataset: output.name };
      }
      return { outcome: "success", outputs: refs, rowCounts, checks, columnLineage, timings: timings() };
    } catch (error) {
      const outcome = rc.signal.aborted ? "interrupted" : error instanceof StepTimeoutError ? "timeout" : "failed";
      const checks: CheckResult[] = error instanceof CheckFailedError ? [...error.results] : [];
      return { outcome, outputs: {}, rowCounts: {}, checks, timings: timings(), error: taskErrorOf(error), thrown: error };
    }
  }

  async close(): Promise<void> {
    // The run's engines are the run's to close.
  }

  private specOf(task: StepTask): StepSpec {
    const spec = this.rc.planned.dag.specs[task.step.index];
    if (spec === undefined || spec.name !== task.step.name) {
      throw new Error(`task names step ${JSON.stringify(task.step.name)} at index ${task.step.index}, which is not a step of pipeline ${JSON.stringify(this.rc.pipelineName)} (a bug in linea's coordinator)`);
    }
    return spec;
  }
}
