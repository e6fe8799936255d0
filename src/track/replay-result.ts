import { LineaError } from "../errors/linea-error.js";
import type { EventPayloads, EventType, RunEventBase } from "../events/event-types.js";
import { totalRows, type NodeResult } from "../model/run-model.js";
import type { StepSpec } from "../step/step-spec.js";
import { EMPTY_ARRAY } from "../util/empty.js";
import { errorMessage } from "../util/error-message.js";

/** Receives one event of a replayed node. */
export type ReplayListener = <T extends EventType>(type: T, payload: EventPayloads[T]) => void;

/**
 * The events a node's result stands for, in the order the executor emits them (see runNode and the
 * coordinator's reuse and skip): node_start and a node_retry for each attempt that was retried, then
 * node_complete or node_error, for a node that ran; node_cached for a reused one; node_skipped for a
 * skipped one. A failed result with no attempt (the scheduler itself failed) stands for none. The payloads
 * carry what the result knows (a node_start's cache miss reason is not kept in a result).
 */
export function replayResult(spec: StepSpec, result: NodeResult, base: Omit<RunEventBase, "timestamp">, emit: ReplayListener): void {
  const { pipelineName, runId, batchRunId } = base;
  const stepName = spec.name;
  const layer = spec.layer;
  switch (result.status) {
    case "skipped":
      emit("node_skipped", {
        timestamp: result.endTime ?? "", pipelineName, runId, batchRunId, stepName, layer, status: "skipped",
        kind: result.kind ?? "aborted", blockedBy: result.blockedBy, statusReason: result.statusReason ?? "fail_fast_abort",
      });
      return;
    case "cached":
      emit("node_cached", {
        timestamp: result.endTime ?? "", pipelineName, runId, batchRunId, stepName, layer, status: "cached", durationMs: result.durationMs,
        cacheKey: result.cacheKey, outputs: result.rowCounts ?? {}, rowCount: totalRows(result.rowCounts), reusedFrom: result.reusedFrom ?? "cache",
        ...(result.columnLineage !== undefined ? { columnLineage: result.columnLineage } : {}),
      });
      return;
    case "success":
    case "failed":
      break;
  }
  if (result.attempts === 0) return;
  emit("node_start", {
    timestamp: result.startTime ?? "", pipelineName, runId, batchRunId, stepName, layer,
    inputs: spec.inputDatasets ?? spec.inputs.map((i) => i.dataset), outputs: spec.outputs, cacheKey: result.cacheKey, cacheMiss: undefined,
  });
  for (const entry of result.attemptLog) {
    if (entry.retryDelayMs === undefined) continue;
    emit("node_retry", {
      timestamp: entry.startTime, pipelineName, runId, batchRunId, stepName, layer, attempt: entry.attempt, outcome: entry.outcome,
      delayMs: entry.retryDelayMs, errorMessage: errorMessage(entry.error), retryCount: entry.attempt,
    });
  }
  if (result.status === "success") {
    emit("node_complete", {
      timestamp: result.endTime ?? "", pipelineName, runId, batchRunId, stepName, layer, status: "success", durationMs: result.durationMs,
      rowCount: totalRows(result.rowCounts), attempts: result.attempts, outputs: result.rowCounts ?? {}, checks: result.checks ?? EMPTY_ARRAY,
      cacheKey: result.cacheKey, columnLineage: result.columnLineage,
    });
    return;
  }
  const error = result.error;
  emit("node_error", {
    timestamp: result.endTime ?? "", pipelineName, runId, batchRunId, stepName, layer, status: "failed", durationMs: result.durationMs,
    errorMessage: errorMessage(error), errorCode: error instanceof LineaError ? error.code : undefined,
    attempts: result.attempts, retryCount: result.attempts - 1, statusReason: result.statusReason, checks: result.checks ?? EMPTY_ARRAY,
  });
}
