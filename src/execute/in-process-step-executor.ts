import type { DatasetForm } from "../data/dataset.js";
import type { DatasetHandle } from "../data/dataset-handle.js";
import { LineaError } from "../errors/linea-error.js";
import type { StepColumnLineage } from "../lineage/column-lineage.js";
import { safeRunColumnLineage, safeStepColumnLineage } from "./step-column-lineage.js";
import type { CheckResult } from "../model/run-model.js";
import type { StepSpec } from "../step/step-spec.js";
import { nowIso } from "../util/clock.js";
import { errorMessage } from "../util/error-message.js";
import { rowCountsNow, rowCountsOf } from "./collect-outputs.js";
import type { RunContext } from "./run-context.js";
import { runAttempt, type AttemptOutput } from "./run-attempt.js";
import { isPromiseLike } from "../util/is-promise-like.js";
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
 * How one attempt in this process ended, before it is plain data: its output handles (in the data map on
 * success) besides what a {@link StepTaskResult} carries.
 */
export interface LocalAttempt {
  readonly outcome: StepTaskResult["outcome"];
  readonly handles: readonly DatasetHandle[];
  readonly rowCounts: Readonly<Record<string, number>>;
  readonly checks: readonly CheckResult[];
  readonly columnLineage?: StepColumnLineage;
  readonly error?: TaskError;
  readonly thrown?: unknown;
}

const NO_HANDLES: readonly DatasetHandle[] = [];

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
    let done: LocalAttempt;
    try {
      done = await this.attempt(this.specOf(task), task.attempt, task.timeoutMs, signal);
    } catch (error) {
      done = this.failed(signal, error);
    }
    const timings = { startTime, endTime: nowIso(), durationMs: performance.now() - started };
    if (done.outcome !== "success") {
      return { outcome: done.outcome, outputs: {}, rowCounts: {}, checks: done.checks, timings, error: done.error, thrown: done.thrown };
    }
    const refs = keyedRecord<DataRef>();
    for (const output of done.handles) refs[output.name] = { kind: "memory", dataset: output.name };
    return { outcome: "success", outputs: refs, rowCounts: done.rowCounts, checks: done.checks, columnLineage: done.columnLineage, timings };
  }

  /**
   * @internal One attempt of `spec` (a step of this run), for the coordinator in this process: no task and
   * no references are made, and it returns at once when the step's body does (a `run` body that returned a
   * value, with no checks and no timeout). Never throws: a failure is a result.
   */
  attempt(spec: StepSpec, attempt: number, timeoutMs: number | undefined, signal: AbortSignal): LocalAttempt | Promise<LocalAttempt> {
    const rc = signal === this.rc.signal ? this.rc : { ...this.rc, signal };
    let output: AttemptOutput | Promise<AttemptOutput>;
    try {
      output = runAttempt(spec, attempt, timeoutMs, rc);
    } catch (error) {
      return this.failed(signal, error);
    }
    if (isPromiseLike(output)) {
      return Promise.resolve(output).then((o) => this.succeeded(spec, rc, o), (error: unknown) => this.failed(signal, error));
    }
    return this.succeeded(spec, rc, output);
  }

  async close(): Promise<void> {
    // The run's engines are the run's to close.
  }

  /** A succeeded attempt: its row counts and column lineage, its outputs put in the data map. */
  private succeeded(spec: StepSpec, rc: RunContext, { outputs, checks }: AttemptOutput): LocalAttempt | Promise<LocalAttempt> {
    const rowCounts = spec.body.kind === "run" ? rowCountsNow(outputs) : undefined;
    if (rowCounts !== undefined) return this.kept(rc, outputs, checks, rowCounts, safeRunColumnLineage(spec));
    return Promise.all([rowCountsOf(outputs), columnLineageOf(spec, rc, outputs)]).then(
      ([counts, columnLineage]) => this.kept(rc, outputs, checks, counts, columnLineage),
      (error: unknown) => this.failed(rc.signal, error),
    );
  }

  private kept(rc: RunContext, outputs: readonly DatasetHandle[], checks: readonly CheckResult[], rowCounts: Record<string, number>, columnLineage: StepColumnLineage): LocalAttempt {
    for (let i = 0; i < outputs.length; i++) rc.dataMap.set(outputs[i] as DatasetHandle);
    return { outcome: "success", handles: outputs, rowCounts, checks, columnLineage };
  }

  private failed(signal: AbortSignal, error: unknown): LocalAttempt {
    const outcome = signal.aborted ? "interrupted" : error instanceof StepTimeoutError ? "timeout" : "failed";
    const checks: CheckResult[] = error instanceof CheckFailedError ? [...error.results] : [];
    return { outcome, handles: NO_HANDLES, rowCounts: {}, checks, error: taskErrorOf(error), thrown: error };
  }

  private specOf(task: StepTask): StepSpec {
    const spec = this.rc.planned.dag.specs[task.step.index];
    if (spec === undefined || spec.name !== task.step.name) {
      throw new Error(`task names step ${JSON.stringify(task.step.name)} at index ${task.step.index}, which is not a step of pipeline ${JSON.stringify(this.rc.pipelineName)} (a bug in linea's coordinator)`);
    }
    return spec;
  }
}
