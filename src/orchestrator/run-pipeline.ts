import { setMaxListeners } from "node:events";
import { resolve } from "node:path";
import type { NodeDecision } from "../cache/node-decision.js";
import { RunCache } from "../cache/run-cache.js";
import { CheckpointStore, type CheckpointStatus, type LoadedCheckpoint } from "../checkpoint/checkpoint-store.js";
import { DataMap } from "../data/data-map.js";
import { loadDanfo } from "../engines/danfo/load-danfo.js";
import type { DuckDBEngine } from "../engines/duckdb/duckdb-engine.js";
import type { EventBus } from "../events/event-bus.js";
import type { StatusCounts } from "../events/event-types.js";
import { RunEvents } from "../events/run-events.js";
import { NODE_STATUSES, type NodeResult } from "../execute/node-result.js";
import type { RunContext, RunSettings } from "../execute/run-context.js";
import { runNode } from "../execute/run-node.js";
import type { RunResult, RunWarning } from "../execute/run-result.js";
import { RunRuntime } from "../execute/run-runtime.js";
import { schedule } from "../execute/schedule.js";
import type { PlannedPipeline } from "../plan/build-plan.js";
import type { DatasetValue } from "../step/step.js";
import type { StepSpec } from "../step/step-spec.js";
import { HistoryRecorder } from "../history/history-recorder.js";
import { runPolicyOf } from "../history/run-policy.js";
import { Tracker } from "../track/tracker.js";
import { nowIso } from "../util/clock.js";
import { errorMessage } from "../util/error-message.js";
import { engineVersions } from "./engine-versions.js";
import type { Logger, OrchestratorOptions } from "./orchestrator-options.js";
import { sourceHandle } from "./source-handle.js";

/** @default 5 GiB */
export const DEFAULT_CACHE_MAX_BYTES = 5 * 1024 ** 3;

/** One run to make: a fresh one (attempt 1) or the resume of an earlier one. */
export interface PipelineRun {
  readonly options: OrchestratorOptions;
  readonly logger: Logger;
  readonly planned: PlannedPipeline;
  readonly sources: Readonly<Record<string, DatasetValue>>;
  readonly signal: AbortSignal | undefined;
  readonly runId: string;
  readonly attempt: number;
  readonly resume: LoadedCheckpoint | undefined;
  readonly pipelinePath: string | undefined;
  readonly engine: () => Promise<DuckDBEngine>;
}

function countByStatus(results: readonly NodeResult[]): StatusCounts {
  const counts = Object.fromEntries(NODE_STATUSES.map((s) => [s, 0])) as Record<(typeof NODE_STATUSES)[number], number>;
  for (const result of results) counts[result.status]++;
  return counts;
}

function settingsOf(options: OrchestratorOptions): RunSettings {
  return {
    maxWorkers: options.maxWorkers ?? 4,
    continueOnError: options.continueOnError ?? false,
    retry: { maxRetries: options.maxRetries ?? 0, ...options.retry },
    timeoutMs: options.timeoutMs,
    baseDir: options.baseDir ?? process.cwd(),
  };
}

/** The run's own signal, following the caller's: every attempt listens to it, so it may have many listeners. */
function runSignal(given: AbortSignal | undefined): { signal: AbortSignal; release: () => void } {
  const interrupt = new AbortController();
  setMaxListeners(0, interrupt.signal);
  const onAbort = (): void => interrupt.abort(given?.reason);
  if (given?.aborted) onAbort();
  else given?.addEventListener("abort", onAbort, { once: true });
  return { signal: interrupt.signal, release: () => given?.removeEventListener("abort", onAbort) };
}

/** Forwards the run's events to the user's bus, and the bus's hook warnings of this run to the run. */
function bridge(bus: EventBus, events: RunEvents, runId: string, warn: (source: string, message: string) => void): Array<() => void> {
  return [
    events.subscribe("event bus", (type, payload) => bus.emit(type, payload)),
    bus.onHookWarning((id, message) => {
      if (id === runId) warn("hook", message);
    }),
  ];
}

/**
 * Runs a planned pipeline to its end: sources into the data map, the cache's decisions, the scheduler over
 * reused and running nodes, then the run's closing events, snapshots, stored results and checkpoint. A
 * failing step never makes it throw; a failing observer, cache write or checkpoint write is a warning.
 */
export async function runPipeline(run: PipelineRun): Promise<RunResult> {
  const { options, planned, runId } = run;
  const pipelineName = options.name;
  const settings = settingsOf(options);
  const warnings: RunWarning[] = [];
  const warn = (source: string, message: string): void => {
    warnings.push({ source, message });
    run.logger.warn(message);
  };
  const runtime = new RunRuntime(run.engine);
  const dataMap = new DataMap();
  for (const [name, value] of Object.entries(run.sources)) dataMap.set(await sourceHandle(name, value, runtime));

  const events = new RunEvents({ pipelineName, runId, batchRunId: planned.plan.batchRunId }, (message) => warn("observer", message));
  const tracker = new Tracker({
    pipelineName, runId, batchRunId: planned.plan.batchRunId, runAttempt: run.attempt, plan: planned.plan, specs: planned.dag.specs,
    baseDir: settings.baseDir, dataMap, snapshots: options.enableTracker !== false, sampleRows: options.sampleRows ?? 5,
    redact: options.redact ?? [], warn: (message) => warn("tracker", message),
  });
  const detach: Array<() => void> = [tracker.observe(events)];
  if (options.eventBus) detach.push(...bridge(options.eventBus, events, runId, warn));
  const { signal, release } = runSignal(run.signal);
  const rc: RunContext = { runId, pipelineName, planned, settings, dataMap, runtime, signal, events, warn };

  const policy = runPolicyOf(options);
  const history = options.historyDb === false ? undefined : new HistoryRecorder({
    dbPath: resolve(settings.baseDir, options.historyDb ?? ".linea/history.duckdb"), runId, attempt: run.attempt, pipelineName,
    batchRunId: planned.plan.batchRunId, warn: (message) => warn("history", message),
  });
  if (history) detach.push(history.observe(events));
  const pipelinePath = run.pipelinePath ?? run.resume?.run.pipelinePath;

  const checkpoints = options.checkpoint === false ? undefined : new CheckpointStore(resolve(settings.baseDir, options.checkpointDir ?? ".linea/checkpoints"));
  const cache = checkpoints === undefined && options.cache === false ? undefined : new RunCache({
    cacheDir: resolve(settings.baseDir, options.cacheDir ?? ".linea/cache"), cache: options.cache !== false, checkpoints,
    maxBytes: options.cacheMaxBytes ?? DEFAULT_CACHE_MAX_BYTES, baseDir: settings.baseDir, versions: engineVersions(),
    pipelineName, runId, resume: run.resume, warn: (message) => warn("cache", message),
  });
  await cache?.plan(planned, dataMap);
  const writeCheckpoint = async (status: CheckpointStatus): Promise<void> => {
    await checkpoints?.write({
      format: 1, runId, pipelineName, batchRunId: planned.plan.batchRunId, attempt: run.attempt, status,
      startTime: run.resume?.run.startTime ?? startTime, updated: nowIso(), steps: planned.plan.order,
      ...(pipelinePath ? { pipelinePath } : {}),
    }).catch((error: unknown) => warn("checkpoint", `could not write the checkpoint of run ${runId}: ${errorMessage(error)}`));
  };

  // Importing danfo blocks the event loop for about a second; do it before the clock starts rather than in
  // the middle of the run, where it would be charged to whichever steps happen to be running.
  if (planned.dag.specs.some((s) => s.body.kind === "run" && s.body.engine === "danfo")) await loadDanfo();

  const startTime = new Date().toISOString();
  const started = performance.now();
  await writeCheckpoint("running");
  void history?.begin({ startTime, policy, ...(pipelinePath ? { pipelinePath } : {}) });
  events.emit("pipeline_start", {
    stepCount: planned.order.length, steps: planned.plan.order, maxWorkers: settings.maxWorkers,
    continueOnError: settings.continueOnError, runAttempt: run.attempt,
  });
  const specs = planned.dag.specs;
  const reuseNode = (spec: StepSpec, decision: NodeDecision): NodeResult => {
    const t0 = performance.now();
    const rowCounts = (cache as RunCache).reuse(spec, decision, dataMap, runtime);
    const durationMs = performance.now() - t0;
    const reusedFrom = decision.reuse?.from ?? "cache";
    events.emit("node_cached", {
      stepName: spec.name, layer: spec.layer, status: "cached", durationMs, cacheKey: decision.key, outputs: rowCounts,
      rowCount: Object.values(rowCounts).reduce((a, b) => a + b, 0), reusedFrom,
    });
    const now = nowIso();
    return { status: "cached", attempts: 0, attemptLog: [], durationMs, startTime: now, endTime: now, rowCounts, reusedFrom, ...(decision.key ? { cacheKey: decision.key } : {}) };
  };
  let results: NodeResult[];
  let fatal: unknown;
  try {
    results = await schedule(planned, { ...settings, signal }, {
      run: async (index) => {
        const spec = specs[index] as StepSpec;
        const decision = await cache?.decisionFor(index);
        if (decision?.reuse !== undefined) return reuseNode(spec, decision);
        // A read step started before the plan was done learns its key when the plan is: read it late.
        const known = { get key() { return cache?.decision(index)?.key; }, get miss() { return decision?.missReason ?? decision?.uncacheable; } };
        const result = await runNode(spec, rc, known);
        if (result.status === "success") cache?.persist(spec, dataMap);
        return result;
      },
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
      : interrupted ? "the run was interrupted" : `${failedSteps.length} step(s) failed: ${failedSteps.join(", ")}`;
    events.emit("pipeline_error", { status, durationMs, counts, errorMessage: errorText, failedSteps, interrupted });
  }
  await Promise.all([options.eventBus?.flush(), tracker.settled()]);
  const nodes: Record<string, NodeResult> = {};
  for (const index of planned.order) nodes[specs[index]?.name ?? "?"] = results[index] as NodeResult;
  const result: RunResult = {
    runId, batchRunId: planned.plan.batchRunId, pipelineName, status, interrupted, runAttempt: run.attempt,
    startTime, endTime: new Date().toISOString(), durationMs, nodes, counts, plan: planned.plan,
    dataMap, tracker, warnings, dispose: () => runtime.dispose(),
  };
  const exitCode = interrupted ? 130 : status === "success" ? 0 : 1;
  // The history needs the result and the tracker, not the cache: it is written while the last results are kept.
  await Promise.all([
    history?.finish(result, { exitCode, policy, ...(pipelinePath ? { pipelinePath } : {}) }),
    cache?.settled(),
  ]);
  // Results are kept (objects, then entries and checkpoint records) before the manifest says how the run ended.
  await writeCheckpoint(interrupted ? "interrupted" : status);
  await cache?.evict(new Set());
  for (const stop of detach) stop();
  release();
  return result;
}
