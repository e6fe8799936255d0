import { setMaxListeners } from "node:events";
import { DataMap } from "../data/data-map.js";
import { DatasetHandle } from "../data/dataset-handle.js";
import { describeValue, detectForm, adapterFor } from "../data/form-adapters.js";
import { DuckDBEngine } from "../engines/duckdb/duckdb-engine.js";
import { loadDanfo } from "../engines/danfo/load-danfo.js";
import { InvalidOptionsError } from "../errors/linea-error.js";
import type { EventBus } from "../events/event-bus.js";
import type { StatusCounts } from "../events/event-types.js";
import { RunEvents } from "../events/run-events.js";
import { NODE_STATUSES, type NodeResult } from "../execute/node-result.js";
import type { RunContext, RunSettings } from "../execute/run-context.js";
import { runNode } from "../execute/run-node.js";
import type { RunResult, RunWarning } from "../execute/run-result.js";
import { RunRuntime } from "../execute/run-runtime.js";
import { schedule } from "../execute/schedule.js";
import { buildPlan, type PlannedPipeline } from "../plan/build-plan.js";
import type { ExecutionPlan } from "../plan/execution-plan.js";
import { normalizeStep } from "../step/normalize-step.js";
import type { DatasetValue } from "../step/step.js";
import type { StepSpec } from "../step/step-spec.js";
import { isValidName } from "../step/validate-step.js";
import { Tracker } from "../track/tracker.js";
import { errorMessage } from "../util/error-message.js";
import { newRunId } from "../util/ids.js";
import { q } from "../util/quote.js";
import type { ExecuteOptions, Logger, OrchestratorOptions } from "./orchestrator-options.js";
import { validateOptions } from "./validate-options.js";

const defaultLogger: Logger = { warn: (message) => console.warn(`linea: warning: ${message}`) };

function countByStatus(results: readonly NodeResult[]): StatusCounts {
  const counts = Object.fromEntries(NODE_STATUSES.map((s) => [s, 0])) as Record<(typeof NODE_STATUSES)[number], number>;
  for (const result of results) counts[result.status]++;
  return counts;
}

/**
 * The façade over linea: validates the steps when constructed, plans (`plan()`, which runs nothing) and
 * runs (`execute()`, which never throws because a step failed).
 *
 * @example
 * ```ts
 * const orchestrator = new Orchestrator({ name: "customer_pipeline", steps, maxWorkers: 4 });
 * console.log(orchestrator.plan());
 * const result = await orchestrator.execute();
 * ```
 */
export class Orchestrator {
  readonly name: string;
  private readonly specs: readonly StepSpec[];
  private readonly options: OrchestratorOptions;
  private readonly logger: Logger;
  private engine: Promise<DuckDBEngine> | undefined;
  /** The last plan made, by its source names: steps never change after construction. */
  private lastPlan: { key: string; planned: PlannedPipeline } | undefined;

  /** @throws StepDefinitionError for a malformed step; InvalidOptionsError for a malformed option. */
  constructor(options: OrchestratorOptions) {
    validateOptions(options);
    this.options = options;
    this.name = options.name;
    this.logger = options.logger ?? defaultLogger;
    this.specs = options.steps.map((step, index) => normalizeStep(step, index));
  }

  /**
   * The execution plan; nothing runs. Sources given to the constructor count as supplied; pass the names of
   * those you will give to `execute()` (or the sources themselves).
   * @throws PlanError (DuplicateStepError, DuplicateOutputError, MissingInputError, CycleError)
   */
  plan(options: { sources?: Iterable<string> | Readonly<Record<string, unknown>> } = {}): ExecutionPlan {
    return this.planned(this.sourceNames(options.sources)).plan;
  }

  /** Runs the pipeline. Planning errors throw (nothing has run); step failures are in the result. */
  async execute(options: ExecuteOptions = {}): Promise<RunResult> {
    const sources = { ...this.options.sources, ...options.sources };
    const planned = this.planned(Object.keys(sources));
    const runId = newRunId();
    const warnings: RunWarning[] = [];
    const warn = (source: string, message: string): void => {
      warnings.push({ source, message });
      this.logger.warn(message);
    };
    const runtime = new RunRuntime(() => this.duckdbEngine());
    const dataMap = new DataMap();
    for (const [name, value] of Object.entries(sources)) dataMap.set(await this.sourceHandle(name, value, runtime));

    const events = new RunEvents(
      { pipelineName: this.name, runId, batchRunId: planned.plan.batchRunId },
      (message) => warn("observer", message),
    );
    const settings: RunSettings = {
      maxWorkers: this.options.maxWorkers ?? 4,
      continueOnError: this.options.continueOnError ?? false,
      retry: { maxRetries: this.options.maxRetries ?? 0, ...this.options.retry },
      timeoutMs: this.options.timeoutMs,
      baseDir: this.options.baseDir ?? process.cwd(),
    };
    const tracker = new Tracker({
      pipelineName: this.name, runId, batchRunId: planned.plan.batchRunId, plan: planned.plan, specs: planned.dag.specs,
      baseDir: settings.baseDir,
      dataMap, snapshots: this.options.enableTracker !== false, sampleRows: this.options.sampleRows ?? 5,
      redact: this.options.redact ?? [], warn: (message) => warn("tracker", message),
    });
    const detach: Array<() => void> = [tracker.observe(events)];
    const bus = this.options.eventBus;
    if (bus) detach.push(...this.bridge(bus, events, runId, warn));

    // The run's own signal: every attempt listens to it, so it may have many listeners.
    const interrupt = new AbortController();
    setMaxListeners(0, interrupt.signal);
    const onInterrupt = (): void => interrupt.abort(options.signal?.reason);
    if (options.signal?.aborted) onInterrupt();
    else options.signal?.addEventListener("abort", onInterrupt, { once: true });
    const signal = interrupt.signal;
    const rc: RunContext = { runId, pipelineName: this.name, planned, settings, dataMap, runtime, signal, events, warn };

    // Importing danfo blocks the event loop for about a second; do it before the clock starts rather
    // than in the middle of the run, where it would be charged to whichever steps happen to be running.
    if (planned.dag.specs.some((s) => s.body.kind === "run" && s.body.engine === "danfo")) await loadDanfo();

    const startTime = new Date().toISOString();
    const started = performance.now();
    events.emit("pipeline_start", {
      stepCount: planned.order.length, steps: planned.plan.order, maxWorkers: settings.maxWorkers, continueOnError: settings.continueOnError, runAttempt: 1,
    });
    const specs = planned.dag.specs;
    let results: NodeResult[];
    let fatal: unknown;
    try {
      results = await schedule(planned, { ...settings, signal }, {
        run: (index) => runNode(specs[index] as StepSpec, rc),
        skipped: (index, result) => {
          const spec = specs[index] as StepSpec;
          events.emit("node_skipped", {
            stepName: spec.name, layer: spec.layer, status: "skipped",
            kind: result.kind ?? "aborted", blockedBy: result.blockedBy, statusReason: result.statusReason ?? "fail_fast_abort",
          });
        },
      });
    } catch (error) {
      fatal = error;
      results = specs.map(() => ({ status: "failed", attempts: 0, attemptLog: [], durationMs: 0, error: error as Error }));
    }

    const counts = countByStatus(results);
    const failedSteps = planned.order.filter((i) => results[i]?.status === "failed").map((i) => specs[i]?.name ?? "?");
    const interrupted = signal.aborted;
    const status = fatal === undefined && failedSteps.length === 0 && !interrupted ? "success" : "failed";
    const durationMs = performance.now() - started;
    if (status === "success") {
      events.emit("pipeline_complete", { status, durationMs, counts });
    } else {
      const errorText = fatal !== undefined
        ? errorMessage(fatal)
        : interrupted
          ? "the run was interrupted"
          : `${failedSteps.length} step(s) failed: ${failedSteps.join(", ")}`;
      events.emit("pipeline_error", { status, durationMs, counts, errorMessage: errorText, failedSteps, interrupted });
    }
    await Promise.all([bus?.flush(), tracker.settled()]);
    for (const stop of detach) stop();
    options.signal?.removeEventListener("abort", onInterrupt);

    const nodes: Record<string, NodeResult> = {};
    for (const index of planned.order) nodes[specs[index]?.name ?? "?"] = results[index] as NodeResult;
    return {
      runId, batchRunId: planned.plan.batchRunId, pipelineName: this.name, status, interrupted,
      startTime, endTime: new Date().toISOString(), durationMs, nodes, counts, plan: planned.plan,
      dataMap, tracker, warnings, dispose: () => runtime.dispose(),
    };
  }

  /** Closes the DuckDB instance of this orchestrator; data maps of its runs become unusable. */
  async close(): Promise<void> {
    const engine = await this.engine?.catch(() => undefined);
    this.engine = undefined;
    engine?.close();
  }

  private planned(sourceNames: Iterable<string>): PlannedPipeline {
    const names = [...new Set(sourceNames)].sort();
    const key = names.join("\u0000");
    if (this.lastPlan?.key !== key) {
      this.lastPlan = { key, planned: buildPlan(this.specs, { pipelineName: this.name, sources: names }) };
    }
    return this.lastPlan.planned;
  }

  private sourceNames(extra: Iterable<string> | Readonly<Record<string, unknown>> | undefined): string[] {
    const names = Object.keys(this.options.sources ?? {});
    if (extra === undefined) return names;
    const more = typeof (extra as Iterable<string>)[Symbol.iterator] === "function" ? [...(extra as Iterable<string>)] : Object.keys(extra);
    return [...names, ...more];
  }

  private duckdbEngine(): Promise<DuckDBEngine> {
    this.engine ??= DuckDBEngine.open(this.options.duckdb);
    return this.engine;
  }

  private async sourceHandle(name: string, value: DatasetValue, runtime: RunRuntime): Promise<DatasetHandle> {
    if (!isValidName(name)) {
      throw new InvalidOptionsError("sources", `Invalid source name ${q(name)}: use letters, digits, "_", "." and "-".`);
    }
    if (value instanceof DatasetHandle) return value.renamed(name);
    const form = detectForm(value);
    if (form === undefined) {
      throw new InvalidOptionsError(
        "sources",
        `Source ${q(name)} is ${describeValue(value)}; pass rows (an array of objects), an Arrow Table, a danfo DataFrame or a DuckDB relation.`,
      );
    }
    return DatasetHandle.of(name, form, value, runtime, { rowCount: await adapterFor(form).rowCount(value as never, runtime) });
  }

  /** Forwards the run's events to the user's bus, and the bus's hook warnings of this run to the run. */
  private bridge(bus: EventBus, events: RunEvents, runId: string, warn: (source: string, message: string) => void): Array<() => void> {
    return [
      events.subscribe("event bus", (type, payload) => bus.emit(type, payload)),
      bus.onHookWarning((id, message) => {
        if (id === runId) warn("hook", message);
      }),
    ];
  }
}
