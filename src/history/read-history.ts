import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import type { NodeStatus, AttemptOutcome, SkipKind, StatusReason } from "../execute/node-result.js";
import type { ReuseSource } from "../cache/node-decision.js";
import type { LineageDocument } from "../track/lineage.generated.js";
import type { AttemptHistoryRow, NodeHistoryRow, RunAttemptDetail, RunDetail, RunLogRow, RunSummaryRow } from "./history-rows.js";
import { policyFromJson, type RunPolicyJson } from "./run-policy.js";
import type { RunSnapshotDocument } from "./run-snapshot.js";
import { isRunStatus, type RunStatus } from "./run-status.js";
import { unpackDocument } from "./packed-document.js";

type Raw = Record<string, unknown>;

function text(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}

function num(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  return Number(value); // BIGINT columns come as bigint; their values (counts, sequence numbers) fit a number
}

function iso(value: unknown): string | undefined {
  return value instanceof Date ? value.toISOString() : text(value);
}

function json<T>(value: unknown): T | undefined {
  return typeof value === "string" ? (JSON.parse(value) as T) : undefined;
}

/** Runs one read with `$1`-style parameters; how the PostgreSQL history plugs its client into these readers. */
export type RowQuery = (sql: string, values: DuckDBValue[]) => Promise<Raw[]>;

/** A DuckDB connection, or a query function over another database with the same tables. */
export type HistorySource = DuckDBConnection | RowQuery;

/** Runs one statement on either kind of source; its rows as objects keyed by column name. */
export async function queryRows(source: HistorySource, sql: string, values: DuckDBValue[] = []): Promise<Raw[]> {
  if (typeof source === "function") return source(sql, values);
  return (await source.runAndReadAll(sql, values)).getRowObjectsJS() as Raw[];
}

function summaryRow(r: Raw): RunSummaryRow {
  const status = isRunStatus(r.status) ? r.status : ("running" satisfies RunStatus);
  const policy = json<RunPolicyJson>(r.policy);
  return {
    runId: String(r.run_id), attempt: Number(r.attempt), pipelineName: String(r.pipeline), batchRunId: text(r.batch_run_id),
    pipelinePath: text(r.pipeline_path), status, startTime: iso(r.start_time) ?? "", endTime: iso(r.end_time),
    durationMs: num(r.duration_ms), stepCount: num(r.step_count),
    counts: r.success_count === null ? undefined : {
      success: Number(r.success_count), cached: Number(r.cached_count), failed: Number(r.failed_count), skipped: Number(r.skipped_count),
    },
    exitCode: num(r.exit_code), policy: policy === undefined ? undefined : policyFromJson(policy), pid: num(r.pid),
    host: text(r.host), statusNote: text(r.status_note), recordedAt: iso(r.recorded_at) ?? "",
  };
}

function nodeRow(r: Raw): NodeHistoryRow {
  return {
    runId: String(r.run_id), attempt: Number(r.attempt), stepName: String(r.step_name), position: Number(r.position),
    layer: text(r.layer), status: String(r.status) as NodeStatus, kind: text(r.kind) as SkipKind | undefined,
    blockedBy: text(r.blocked_by), statusReason: text(r.status_reason) as StatusReason | undefined, attempts: Number(r.attempts),
    durationMs: Number(r.duration_ms), startTime: iso(r.start_time), endTime: iso(r.end_time), rowCount: num(r.row_count),
    outputRows: json(r.output_rows), cacheKey: text(r.cache_key), reusedFrom: text(r.reused_from) as ReuseSource | undefined,
    error: text(r.error), errorCode: text(r.error_code),
  };
}

function attemptRow(r: Raw): AttemptHistoryRow {
  return {
    runId: String(r.run_id), runAttempt: Number(r.run_attempt), stepName: String(r.step_name), attempt: Number(r.attempt),
    startTime: iso(r.start_time) ?? "", durationMs: Number(r.duration_ms), outcome: String(r.outcome) as AttemptOutcome,
    error: text(r.error), errorCode: text(r.error_code), retryDelayMs: num(r.retry_delay_ms),
  };
}

function logRow(r: Raw): RunLogRow {
  return {
    runId: String(r.run_id), attempt: Number(r.attempt), seq: Number(r.seq), eventType: String(r.event_type),
    timestamp: iso(r.event_time), stepName: text(r.step_name), payload: json(r.payload) ?? {},
  };
}

/** Which runs {@link readRunSummaries} returns. */
export interface RunFilter {
  /** Only runs of this pipeline. */
  readonly pipeline?: string;
  /** Only runs in this status. */
  readonly status?: RunStatus;
  /** At most this many rows. */
  readonly limit?: number;
}

/** Summary rows, newest first (by start time, then run id and attempt, descending). */
export async function readRunSummaries(connection: HistorySource, filter: RunFilter = {}): Promise<RunSummaryRow[]> {
  const where: string[] = [];
  const values: DuckDBValue[] = [];
  if (filter.pipeline !== undefined) where.push(`pipeline = $${values.push(filter.pipeline)}`);
  if (filter.status !== undefined) where.push(`status = $${values.push(filter.status)}`);
  const limit = filter.limit === undefined ? "" : ` LIMIT ${Math.max(0, Math.floor(filter.limit))}`;
  const sql = `SELECT * FROM run_summary${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ` +
    `ORDER BY start_time DESC, run_id DESC, attempt DESC${limit}`;
  return (await queryRows(connection, sql, values)).map(summaryRow);
}

function byAttempt<T>(rows: readonly T[], attemptOf: (row: T) => number): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const row of rows) {
    const list = map.get(attemptOf(row));
    if (list === undefined) map.set(attemptOf(row), [row]);
    else list.push(row);
  }
  return map;
}

const ATTEMPTS_IN_PLAN_ORDER = `SELECT a.* FROM attempt_history a
  LEFT JOIN node_history n ON n.run_id = a.run_id AND n.attempt = a.run_attempt AND n.step_name = a.step_name
  WHERE a.run_id = $1 ORDER BY a.run_attempt, n.position, a.attempt`;

/** Every attempt of one run, with its nodes, node attempts, log, snapshot and lineage; undefined if unknown. */
export async function readRunDetail(connection: HistorySource, runId: string): Promise<RunDetail | undefined> {
  const summaries = (await queryRows(connection, "SELECT * FROM run_summary WHERE run_id = $1 ORDER BY attempt", [runId])).map(summaryRow);
  if (summaries.length === 0) return undefined;
  const nodes = byAttempt((await queryRows(connection, "SELECT * FROM node_history WHERE run_id = $1 ORDER BY attempt, position", [runId])).map(nodeRow), (r) => r.attempt);
  const attempts = byAttempt((await queryRows(connection, ATTEMPTS_IN_PLAN_ORDER, [runId])).map(attemptRow), (r) => r.runAttempt);
  const logs = byAttempt((await queryRows(connection, "SELECT * FROM run_log WHERE run_id = $1 ORDER BY attempt, seq", [runId])).map(logRow), (r) => r.attempt);
  const documents = async (table: string): Promise<Map<number, unknown>> => new Map(
    (await queryRows(connection, `SELECT attempt, document FROM ${table} WHERE run_id = $1`, [runId])).map((r) => [Number(r.attempt), unpackDocument(json(r.document))]),
  );
  const snapshots = await documents("run_snapshot");
  const lineages = await documents("run_lineage");
  const detail = (summary: RunSummaryRow): RunAttemptDetail => ({
    summary,
    nodes: nodes.get(summary.attempt) ?? [],
    stepAttempts: attempts.get(summary.attempt) ?? [],
    log: logs.get(summary.attempt) ?? [],
    snapshot: snapshots.get(summary.attempt) as RunSnapshotDocument | undefined,
    lineage: lineages.get(summary.attempt) as LineageDocument | undefined,
  });
  return { runId, attempts: summaries.map(detail) };
}
