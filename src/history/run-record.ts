import type { AttemptRecord, NodeResult } from "../execute/node-result.js";
import type { RunResult } from "../execute/run-result.js";
import type { LineageDocument } from "../track/lineage.generated.js";
import { errorMessage } from "../util/error-message.js";
import type { AttemptHistoryRecord, NodeHistoryRecord, RunSummaryRecord } from "./history-tables.js";
import { policyToJson, type RunPolicy } from "./run-policy.js";
import { buildRunSnapshot, type RunFinishDetails, type RunSnapshotDocument } from "./run-snapshot.js";
import { currentOwner, type ProcessOwner } from "./process-owner.js";
import { runStatusOf } from "./run-status.js";

/** Everything the end of a run writes to the history (but its event log), as rows keyed by column name. */
export interface RunRecord {
  readonly summary: RunSummaryRecord;
  readonly nodes: readonly NodeHistoryRecord[];
  readonly attempts: readonly AttemptHistoryRecord[];
  readonly snapshot: RunSnapshotDocument;
  /** The run's lineage JSON; null when the tracker could not produce it. */
  readonly lineage: LineageDocument | null;
}

/** The first fields of a run's summary row, known when it starts. */
export interface RunIdentity {
  readonly runId: string;
  readonly attempt: number;
  readonly pipelineName: string;
  readonly batchRunId: string;
}

/**
 * The summary row of a run that has started and not (yet) finished. `owner` is the process running it:
 * this one unless told (a spool of a process that died).
 */
export function runningSummary(
  run: RunIdentity,
  info: {
    readonly startTime: string; readonly pipelinePath?: string | undefined; readonly policy?: RunPolicy | undefined; readonly pid: number;
    readonly owner?: ProcessOwner | undefined;
  },
): RunSummaryRecord {
  const owner = info.owner ?? (info.pid === process.pid ? currentOwner() : { pid: info.pid });
  return {
    run_id: run.runId, attempt: run.attempt, pipeline: run.pipelineName, batch_run_id: run.batchRunId,
    pipeline_path: info.pipelinePath ?? null, status: "running", start_time: info.startTime, end_time: null, duration_ms: null,
    step_count: null, success_count: null, cached_count: null, failed_count: null, skipped_count: null, exit_code: null,
    policy: info.policy === undefined ? null : policyToJson(info.policy), pid: info.pid, recorded_at: new Date().toISOString(),
    host: owner.host ?? null, process_start: owner.processStart ?? null, status_note: null,
  };
}

/** The `code` of an error, when it is a string (Node's, linea's). */
export function errorCode(error: Error | undefined): string | null {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? code : null;
}

function nodeRecord(result: RunResult, step: string, position: number, node: NodeResult): NodeHistoryRecord {
  // A step without outputs (a write) has no row count, not zero rows.
  const counts = Object.values(node.rowCounts ?? {});
  const rows = counts.length === 0 ? null : counts.reduce((a, b) => a + b, 0);
  return {
    run_id: result.runId, attempt: result.runAttempt, step_name: step, position,
    layer: result.plan.steps[position]?.layer ?? null, status: node.status, kind: node.kind ?? null,
    blocked_by: node.blockedBy ?? null, status_reason: node.statusReason ?? null, attempts: node.attempts,
    duration_ms: node.durationMs, start_time: node.startTime ?? null, end_time: node.endTime ?? null, row_count: rows,
    output_rows: node.rowCounts === undefined ? null : { ...node.rowCounts }, cache_key: node.cacheKey ?? null,
    reused_from: node.reusedFrom ?? null, error: node.error === undefined ? null : errorMessage(node.error),
    error_code: errorCode(node.error),
  };
}

function attemptRecord(result: RunResult, step: string, record: AttemptRecord): AttemptHistoryRecord {
  return {
    run_id: result.runId, run_attempt: result.runAttempt, step_name: step, attempt: record.attempt,
    start_time: record.startTime, duration_ms: record.durationMs, outcome: record.outcome,
    error: record.error === undefined ? null : errorMessage(record.error), error_code: errorCode(record.error),
    retry_delay_ms: record.retryDelayMs ?? null,
  };
}

/**
 * The rows of a finished run. `lineage` is the tracker's document (taken by the caller, which decides what
 * to do when the tracker fails).
 */
export function buildRunRecord(result: RunResult, details: RunFinishDetails, lineage: LineageDocument | null): RunRecord {
  const steps = result.plan.order;
  const summary = finishedSummary(result, details);
  const nodes: NodeHistoryRecord[] = [];
  const attempts: AttemptHistoryRecord[] = [];
  steps.forEach((step, position) => {
    const node = result.nodes[step];
    if (node === undefined) return;
    nodes.push(nodeRecord(result, step, position, node));
    for (const record of node.attemptLog) attempts.push(attemptRecord(result, step, record));
  });
  return { summary, nodes, attempts, snapshot: buildRunSnapshot(result, details), lineage };
}

/** The summary row of a finished run. */
export function finishedSummary(result: RunResult, details: RunFinishDetails): RunSummaryRecord {
  const steps = result.plan.order;
  return {
    ...runningSummary({ runId: result.runId, attempt: result.runAttempt, pipelineName: result.pipelineName, batchRunId: result.batchRunId }, {
      startTime: result.startTime, pipelinePath: details.pipelinePath, policy: details.policy, pid: process.pid,
    }),
    status: runStatusOf(result), end_time: result.endTime, duration_ms: result.durationMs, step_count: steps.length,
    success_count: result.counts.success, cached_count: result.counts.cached, failed_count: result.counts.failed,
    skipped_count: result.counts.skipped, exit_code: details.exitCode,
  };
}
