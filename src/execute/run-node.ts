import { LineaError } from "../errors/linea-error.js";
import type { StepSpec } from "../step/step-spec.js";
import { nowIso } from "../util/clock.js";
import { errorMessage } from "../util/error-message.js";
import { sleep } from "../util/sleep.js";
import type { AttemptRecord, NodeResult } from "../model/run-model.js";
import { computeDelay, resolveRetryPolicy, shouldRetry, type RetryPolicy } from "../step/retry-policy.js";
import type { RunContext } from "./run-context.js";
import type { DataRef, StepExecutor, StepTask, StepTaskResult, TaskError } from "./step-executor.js";
import { keyedRecord } from "../util/keyed-record.js";

/** The error an attempt ended with: the thrown object itself from an executor in this process, else rebuilt from plain data. */
function errorOf(result: StepTaskResult): Error {
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

function total(counts: Readonly<Record<string, number>>): number {
  let sum = 0;
  for (const name in counts) sum += counts[name] as number;
  return sum;
}

/**
 * Runs one node to its end under its retry policy and timeout, each attempt through `executor`: emits node_start, node_retry for each
 * retry, then node_complete or node_error, and puts the outputs in the data map on success. Never throws.
 */
export async function runNode(spec: StepSpec, rc: RunContext, executor: StepExecutor, cache: NodeCacheInfo = {}): Promise<NodeResult> {
  const timeoutMs = spec.timeoutMs ?? rc.settings.timeoutMs;
  const startTime = nowIso();
  const started = performance.now();
  const attemptLog: AttemptRecord[] = [];
  let policy: RetryPolicy | undefined; // resolved on the first failure only: most nodes never need it
  const { name: stepName, layer } = spec;
  rc.events.emit("node_start", {
    stepName, layer, inputs: spec.inputs.map((i) => i.dataset), outputs: spec.outputs, cacheKey: cache.key, cacheMiss: cache.miss,
  });

  for (let attempt = 1; ; attempt++) {
    const attemptStart = attempt === 1 ? startTime : nowIso();
    const attemptStarted = performance.now();
    const result = await executor.run(taskOf(spec, attempt, timeoutMs, rc, cache), rc.signal);
    if (result.outcome !== "success") {
      const error = errorOf(result);
      const outcome = result.outcome;
      const record: AttemptRecord = { attempt, startTime: attemptStart, durationMs: performance.now() - attemptStarted, outcome, error };
      policy ??= resolveRetryPolicy(rc.settings.retry, spec.retry);
      // retryOn sees what the body threw, not linea's wrapper.
      const original = error instanceof LineaError && error.code === "STEP_FAILED" ? error.cause : error;
      if (outcome !== "interrupted" && shouldRetry(policy, original, attempt)) {
        const delayMs = computeDelay(policy, attempt);
        attemptLog.push({ ...record, retryDelayMs: delayMs });
        rc.events.emit("node_retry", { stepName, layer, attempt, outcome, delayMs, errorMessage: errorMessage(error), retryCount: attempt });
        if (await sleep(delayMs, rc.signal).then(() => true, () => false)) continue;
      } else {
        attemptLog.push(record);
      }
      const durationMs = performance.now() - started;
      const statusReason = rc.signal.aborted ? "interrupted" : undefined;
      const failedChecks = [...result.checks];
      rc.events.emit("node_error", {
        stepName, layer, status: "failed", durationMs, errorMessage: errorMessage(error),
        errorCode: error instanceof LineaError ? error.code : undefined,
        attempts: attempt, retryCount: attempt - 1, statusReason, checks: failedChecks,
      });
      return {
        status: "failed", attempts: attempt, attemptLog, durationMs, startTime, endTime: nowIso(), error, checks: failedChecks,
        ...(statusReason ? { statusReason } : {}),
        ...(cache.key !== undefined ? { cacheKey: cache.key } : {}),
      };
    }
    const { rowCounts, checks, columnLineage } = result;
    for (const check of checks) {
      if (check.status !== "pass") rc.warn("check", `check ${check.name} on ${JSON.stringify(check.dataset)} of step ${JSON.stringify(spec.name)} failed (severity warn): ${check.message}`);
    }
    attemptLog.push({ attempt, startTime: attemptStart, durationMs: performance.now() - attemptStarted, outcome: "success" });
    const durationMs = performance.now() - started;
    rc.events.emit("node_complete", { stepName, layer, status: "success", durationMs, rowCount: total(rowCounts), attempts: attempt, outputs: rowCounts,
      checks, cacheKey: cache.key, columnLineage });
    const done: NodeResult = { status: "success", attempts: attempt, attemptLog, durationMs, startTime, endTime: nowIso(), rowCounts, checks, columnLineage };
    if (cache.key !== undefined) (done as { cacheKey?: string }).cacheKey = cache.key;
    return done;
  }
}
