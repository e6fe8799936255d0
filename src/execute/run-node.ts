import { LineaError } from "../errors/linea-error.js";
import type { StepSpec } from "../step/step-spec.js";
import { nowIso } from "../util/clock.js";
import { errorMessage } from "../util/error-message.js";
import { sleep } from "../util/sleep.js";
import { totalRows, type AttemptRecord, type CheckResult, type NodeResult } from "../model/run-model.js";
import { computeDelay, resolveRetryPolicy, shouldRetry, type RetryPolicy } from "../step/retry-policy.js";
import type { RunContext } from "./run-context.js";
import type { DataRef, StepExecutor, StepTask, StepTaskResult, TaskError } from "./step-executor.js";
import { keyedRecord } from "../util/keyed-record.js";
import { EMPTY_ARRAY } from "../util/empty.js";
import { isPromiseLike } from "../util/is-promise-like.js";
import { InProcessStepExecutor } from "./in-process-step-executor.js";

/** The error an attempt ended with: the thrown object itself from an executor in this process, else rebuilt from plain data. */
function errorOf(result: AttemptResult): Error {
  if (result.thrown instanceof Error) return result.thrown;
  const plain: TaskError = result.error ?? { name: "Error", message: `the attempt ended with outcome ${result.outcome} and no error` };
  const error = new LineaError((plain.code ?? "STEP_FAILED") as never, plain.message);
  error.name = plain.name;
  if (plain.stack !== undefined) error.stack = plain.stack;
  return error;
}

/** The task of one attempt: the step by index and name, its params and timeout, its inputs as references. */
function taskOf(spec: StepSpec, attempt: number, timeoutMs: number | undefined, rc: RunContext, cache: NodeCacheInfo): StepTask {
  const inputs = keyedRecord<DataRef>();
  for (const input of spec.inputs) inputs[input.local] = { kind: "memory", dataset: input.dataset };
  const task: { -readonly [K in keyof StepTask]: StepTask[K] } = {
    runId: rc.runId, runAttempt: rc.runAttempt, pipelineName: rc.pipelineName, batchRunId: rc.planned.plan.batchRunId,
    step: { index: spec.index, name: spec.name }, attempt, params: spec.params, timeoutMs, inputs,
  };
  // Assigned, not spread: V8 takes a slow path for conditional spreads, and this runs for every attempt.
  if (cache.key !== undefined) task.cacheKey = cache.key;
  if (cache.dataVersions !== undefined) task.dataVersions = cache.dataVersions;
  return task;
}

/** What the cache decided for a node that runs: its key (when it has one) and why it was not reused. */
export interface NodeCacheInfo {
  readonly key?: string | undefined;
  readonly miss?: string | undefined;
  readonly dataVersions?: Readonly<Record<string, string>> | undefined;
}

/** What an attempt's result needs to carry for {@link runNode}: a task result, or an in-process attempt. */
type AttemptResult = Pick<StepTaskResult, "outcome" | "rowCounts" | "checks" | "columnLineage" | "error" | "thrown">;

/** One attempt through `executor`: the in-process one directly (synchronous when the step is), any other by its task. */
function attemptOnce(spec: StepSpec, attempt: number, timeoutMs: number | undefined, rc: RunContext, executor: StepExecutor, cache: NodeCacheInfo): AttemptResult | Promise<AttemptResult> {
  if (executor instanceof InProcessStepExecutor) return executor.attempt(spec, attempt, timeoutMs, rc.signal);
  return executor.run(taskOf(spec, attempt, timeoutMs, rc, cache), rc.signal);
}

/** When a node and its current attempt started. */
interface NodeClock {
  readonly startTime: string;
  readonly started: number;
}

/** A node whose attempt succeeded: its warnings for failed `warn` checks, its node_complete event, its result. */
function succeeded(
  spec: StepSpec, rc: RunContext, cache: NodeCacheInfo, result: AttemptResult, attempt: number, attemptLog: readonly AttemptRecord[],
  nodeStartTime: string, nodeStarted: number, attemptStartTime: string, attemptStarted: number,
): NodeResult {
  const { rowCounts, checks, columnLineage } = result;
  for (let i = 0; i < checks.length; i++) {
    const check = checks[i] as CheckResult;
    if (check.status !== "pass") rc.warn("check", `check ${check.name} on ${JSON.stringify(check.dataset)} of step ${JSON.stringify(spec.name)} failed (severity warn): ${check.message}`);
  }
  const ended = performance.now();
  const entry: AttemptRecord = { attempt, startTime: attemptStartTime, durationMs: ended - attemptStarted, outcome: "success" };
  // A new array of one for a first attempt, not a push: a pushed empty array keeps room for 17 (kept for every node of a run).
  const log = attemptLog.length === 0 ? [entry] : [...attemptLog, entry];
  const durationMs = ended - nodeStarted;
  // One time for the event and the result: a tracker that makes its records from results sees the same.
  const endTime = nowIso();
  const events = rc.events;
  if (events.listened) {
    const { pipelineName, runId, batchRunId } = events.base;
    events.emitWhole("node_complete", {
      timestamp: endTime, pipelineName, runId, batchRunId, stepName: spec.name, layer: spec.layer, status: "success", durationMs,
      rowCount: totalRows(rowCounts), attempts: attempt, outputs: rowCounts, checks, cacheKey: cache.key, columnLineage,
    }, spec.index);
  }
  const done: NodeResult = { status: "success", attempts: attempt, attemptLog: log, durationMs, startTime: nodeStartTime, endTime, rowCounts, checks, columnLineage };
  if (cache.key !== undefined) (done as { cacheKey?: string }).cacheKey = cache.key;
  return done;
}

/**
 * Runs one node to its end under its retry policy and timeout, each attempt through `executor`: emits node_start, node_retry for each
 * retry, then node_complete or node_error, and puts the outputs in the data map on success. Never throws.
 * Returns at once, with no promise made, when the first attempt succeeds synchronously (a quick `run` step in this process).
 */
export function runNode(spec: StepSpec, rc: RunContext, executor: StepExecutor, cache: NodeCacheInfo = {}): NodeResult | Promise<NodeResult> {
  const timeoutMs = spec.timeoutMs ?? rc.settings.timeoutMs;
  const startTime = nowIso();
  const started = performance.now();
  const events = rc.events;
  if (events.listened) {
    const { pipelineName, runId, batchRunId } = events.base;
    events.emitWhole("node_start", {
      timestamp: startTime, pipelineName, runId, batchRunId, stepName: spec.name, layer: spec.layer,
      inputs: spec.inputDatasets ?? spec.inputs.map((i) => i.dataset), outputs: spec.outputs, cacheKey: cache.key, cacheMiss: cache.miss,
    }, spec.index);
  }
  // The attempt starts after its node_start has been seen (with nobody listening, the node's start is the attempt's).
  const attemptStarted = events.listened ? performance.now() : started;
  const first = attemptOnce(spec, 1, timeoutMs, rc, executor, cache);
  // No objects for the clocks on this path: it is taken by nearly every node of a run of quick steps.
  if (!isPromiseLike(first) && first.outcome === "success") return succeeded(spec, rc, cache, first, 1, EMPTY_ARRAY, startTime, started, startTime, attemptStarted);
  return runNodeOn(spec, rc, executor, cache, timeoutMs, { startTime, started }, { startTime, started: attemptStarted }, first);
}

/** {@link runNode} from its first attempt on, whose result is `first`: failures, retries and success. */
async function runNodeOn(
  spec: StepSpec, rc: RunContext, executor: StepExecutor, cache: NodeCacheInfo, timeoutMs: number | undefined,
  node: NodeClock, firstClock: NodeClock, first: AttemptResult | Promise<AttemptResult>,
): Promise<NodeResult> {
  const attemptLog: AttemptRecord[] = [];
  let policy: RetryPolicy | undefined; // resolved on the first failure only: most nodes never need it
  const { name: stepName, layer } = spec;
  let attemptClock = firstClock;
  let pending = first;
  for (let attempt = 1; ; attempt++) {
    if (attempt > 1) {
      attemptClock = { startTime: nowIso(), started: performance.now() };
      pending = attemptOnce(spec, attempt, timeoutMs, rc, executor, cache);
    }
    const result = await pending;
    if (result.outcome === "success") return succeeded(spec, rc, cache, result, attempt, attemptLog, node.startTime, node.started, attemptClock.startTime, attemptClock.started);
    const error = errorOf(result);
    const outcome = result.outcome;
    const record: AttemptRecord = { attempt, startTime: attemptClock.startTime, durationMs: performance.now() - attemptClock.started, outcome, error };
    policy ??= resolveRetryPolicy(rc.settings.retry, spec.retry);
    // retryOn sees what the body threw, not linea's wrapper.
    const original = error instanceof LineaError && error.code === "STEP_FAILED" ? error.cause : error;
    if (outcome !== "interrupted" && shouldRetry(policy, original, attempt)) {
      const delayMs = computeDelay(policy, attempt);
      attemptLog.push({ ...record, retryDelayMs: delayMs });
      rc.events.emit("node_retry", { stepName, layer, attempt, outcome, delayMs, errorMessage: errorMessage(error), retryCount: attempt }, spec.index);
      if (await sleep(delayMs, rc.signal).then(() => true, () => false)) continue;
    } else {
      attemptLog.push(record);
    }
    const durationMs = performance.now() - node.started;
    const statusReason = rc.signal.aborted ? "interrupted" : undefined;
    const failedChecks = [...result.checks];
    const endTime = nowIso();
    rc.events.emit("node_error", {
      stepName, layer, status: "failed", durationMs, errorMessage: errorMessage(error),
      errorCode: error instanceof LineaError ? error.code : undefined,
      attempts: attempt, retryCount: attempt - 1, statusReason, checks: failedChecks,
    }, spec.index, endTime);
    return {
      status: "failed", attempts: attempt, attemptLog, durationMs, startTime: node.startTime, endTime, error, checks: failedChecks,
      ...(statusReason ? { statusReason } : {}),
      ...(cache.key !== undefined ? { cacheKey: cache.key } : {}),
    };
  }
}
