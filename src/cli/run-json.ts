import type { RunResult } from "../execute/run-result.js";
import { toJsonSafe } from "../util/json-safe.js";

/** A run's result as JSON for `--json`: every node's outcome, with errors as their messages and codes. */
export function runJson(result: RunResult): unknown {
  const nodes = Object.fromEntries(Object.entries(result.nodes).map(([name, node]) => [name, {
    status: node.status, kind: node.kind, blockedBy: node.blockedBy, statusReason: node.statusReason, attempts: node.attempts,
    durationMs: node.durationMs, rowCounts: node.rowCounts, cacheKey: node.cacheKey, reusedFrom: node.reusedFrom,
    error: node.error ? { message: node.error.message, code: (node.error as { code?: string }).code } : undefined,
    checks: node.checks,
  }]));
  return toJsonSafe({
    runId: result.runId, batchRunId: result.batchRunId, pipelineName: result.pipelineName, status: result.status,
    interrupted: result.interrupted, runAttempt: result.runAttempt, startTime: result.startTime, endTime: result.endTime,
    durationMs: result.durationMs, counts: result.counts, nodes, warnings: result.warnings, persisted: result.persisted,
  });
}
