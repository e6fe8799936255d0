import type { DatasetHandle } from "../data/dataset-handle.js";
import type { StepSpec } from "../step/step-spec.js";
import { errorMessage } from "../util/error-message.js";
import { sleep } from "../util/sleep.js";
import type { AttemptOutcome, AttemptRecord, NodeResult } from "./node-result.js";
import { computeDelay, resolveRetryPolicy, shouldRetry } from "./retry-policy.js";
import { runAttempt } from "./run-attempt.js";
import type { RunContext } from "./run-context.js";
import { StepTimeoutError } from "./step-errors.js";
import { LineaError } from "../errors/linea-error.js";

function outcomeOf(error: unknown, rc: RunContext): AttemptOutcome {
  if (rc.signal.aborted) return "interrupted";
  return error instanceof StepTimeoutError ? "timeout" : "failed";
}

async function rowCountsOf(outputs: readonly DatasetHandle[]): Promise<Record<string, number>> {
  const counts = await Promise.all(outputs.map((o) => o.rowCount()));
  return Object.fromEntries(outputs.map((o, i) => [o.name, counts[i] as number]));
}

function sum(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/**
 * Runs one node to its end under its retry policy and timeout: emits node_start, node_retry for each
 * retry, then node_complete or node_error, and puts the outputs in the data map on success. Never throws.
 */
export async function runNode(spec: StepSpec, rc: RunContext): Promise<NodeResult> {
  const policy = resolveRetryPolicy(rc.settings.retry, spec.retry);
  const timeoutMs = spec.timeoutMs ?? rc.settings.timeoutMs;
  const node = { stepName: spec.name, layer: spec.layer };
  const startTime = new Date().toISOString();
  const started = performance.now();
  const attemptLog: AttemptRecord[] = [];
  rc.events.emit("node_start", { ...node, inputs: spec.inputs.map((i) => i.dataset), outputs: spec.outputs });

  for (let attempt = 1; ; attempt++) {
    const attemptStart = new Date().toISOString();
    const attemptStarted = performance.now();
    try {
      const outputs = await runAttempt(spec, attempt, timeoutMs, rc);
      const rowCounts = await rowCountsOf(outputs);
      for (const output of outputs) rc.dataMap.set(output);
      attemptLog.push({ attempt, startTime: attemptStart, durationMs: performance.now() - attemptStarted, outcome: "success" });
      const durationMs = performance.now() - started;
      rc.events.emit("node_complete", { ...node, status: "success", durationMs, rowCount: sum(rowCounts), attempts: attempt, outputs: rowCounts });
      return { status: "success", attempts: attempt, attemptLog, durationMs, startTime, endTime: new Date().toISOString(), rowCounts };
    } catch (thrown) {
      const error = thrown as Error;
      const outcome = outcomeOf(error, rc);
      const record = { attempt, startTime: attemptStart, durationMs: performance.now() - attemptStarted, outcome, error };
      // retryOn sees what the body threw, not linea's wrapper.
      const original = error instanceof LineaError && error.code === "STEP_FAILED" ? error.cause : error;
      if (outcome !== "interrupted" && shouldRetry(policy, original, attempt)) {
        const delayMs = computeDelay(policy, attempt);
        attemptLog.push({ ...record, retryDelayMs: delayMs });
        rc.events.emit("node_retry", { ...node, attempt, delayMs, errorMessage: errorMessage(error), retryCount: attempt });
        const waited = await sleep(delayMs, rc.signal).then(() => true, () => false);
        if (waited) continue;
      } else {
        attemptLog.push(record);
      }
      const durationMs = performance.now() - started;
      const statusReason = rc.signal.aborted ? "interrupted" : undefined;
      rc.events.emit("node_error", {
        ...node, status: "failed", durationMs, errorMessage: errorMessage(error),
        errorCode: error instanceof LineaError ? error.code : undefined,
        attempts: attempt, retryCount: attempt - 1, statusReason,
      });
      return {
        status: "failed", attempts: attempt, attemptLog, durationMs, startTime, endTime: new Date().toISOString(), error,
        ...(statusReason ? { statusReason } : {}),
      };
    }
  }
}
