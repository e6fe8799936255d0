import type { DatasetHandle } from "../data/dataset-handle.js";
import { LineaError } from "../errors/linea-error.js";
import type { StepSpec } from "../step/step-spec.js";
import { nowIso } from "../util/clock.js";
import { errorMessage } from "../util/error-message.js";
import { sleep } from "../util/sleep.js";
import { rowCountsOf } from "./collect-outputs.js";
import type { AttemptOutcome, AttemptRecord, NodeResult } from "./node-result.js";
import { computeDelay, resolveRetryPolicy, shouldRetry, type RetryPolicy } from "./retry-policy.js";
import { runAttempt } from "./run-attempt.js";
import type { RunContext } from "./run-context.js";
import { StepTimeoutError } from "./step-errors.js";
import type { CheckResult } from "./check-result.js";
import { CheckFailedError } from "./run-checks.js";
import { safeStepColumnLineage } from "../lineage/step-column-lineage.js";
import type { StepColumnLineage } from "../lineage/column-lineage.js";
import { duckdbForm } from "../engines/duckdb/duckdb-form.js";

/**
 * A succeeded step's column lineage, from its declaration and the schemas of its inputs and outputs (no
 * data is read: a `sql` step's SQL is planned on empty tables). Never fails the step.
 */
function columnLineageOf(spec: StepSpec, rc: RunContext, outputs: readonly DatasetHandle[]): Promise<StepColumnLineage> {
  const need = (name: string, handle: DatasetHandle | undefined): DatasetHandle => {
    if (handle === undefined) throw new Error(`dataset ${JSON.stringify(name)} is not in the run`);
    return handle;
  };
  return safeStepColumnLineage(spec, {
    input: async (dataset) => {
      const handle = need(dataset, rc.dataMap.handle(dataset));
      return spec.body.kind === "sql" ? duckdbForm.schema(await handle.valueIn("duckdb"), rc.runtime) : handle.schema();
    },
    output: (dataset) => need(dataset, outputs.find((o) => o.name === dataset)).schema(),
  });
}

function outcomeOf(error: unknown, rc: RunContext): AttemptOutcome {
  if (rc.signal.aborted) return "interrupted";
  return error instanceof StepTimeoutError ? "timeout" : "failed";
}

function total(counts: Readonly<Record<string, number>>): number {
  let sum = 0;
  for (const name in counts) sum += counts[name] as number;
  return sum;
}

/**
 * Runs one node to its end under its retry policy and timeout: emits node_start, node_retry for each
 * retry, then node_complete or node_error, and puts the outputs in the data map on success. Never throws.
 */
export async function runNode(
  spec: StepSpec,
  rc: RunContext,
  // Read when each event is emitted: a read step started before the plan was done learns its key mid-run.
  cache: { readonly key?: string | undefined; readonly miss?: string | undefined } = {},
): Promise<NodeResult> {
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
    let outputs: DatasetHandle[];
    let checks: CheckResult[];
    try {
      ({ outputs, checks } = await runAttempt(spec, attempt, timeoutMs, rc));
    } catch (thrown) {
      const error = thrown as Error;
      const outcome = outcomeOf(error, rc);
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
      const failedChecks = error instanceof CheckFailedError ? [...error.results] : [];
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
    const [rowCounts, columnLineage] = await Promise.all([rowCountsOf(outputs), columnLineageOf(spec, rc, outputs)]);
    for (const output of outputs) rc.dataMap.set(output);
    for (const check of checks) {
      if (check.status !== "pass") rc.warn("check", `check ${check.name} on ${JSON.stringify(check.dataset)} of step ${JSON.stringify(spec.name)} failed (severity warn): ${check.message}`);
    }
    attemptLog.push({ attempt, startTime: attemptStart, durationMs: performance.now() - attemptStarted, outcome: "success" });
    const durationMs = performance.now() - started;
    rc.events.emit("node_complete", { stepName, layer, status: "success", durationMs, rowCount: total(rowCounts), attempts: attempt, outputs: rowCounts,
      checks, cacheKey: cache.key, columnLineage });
    return {
      status: "success", attempts: attempt, attemptLog, durationMs, startTime, endTime: nowIso(), rowCounts, checks, columnLineage,
      ...(cache.key !== undefined ? { cacheKey: cache.key } : {}),
    };
  }
}
