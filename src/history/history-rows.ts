import type { ReuseSource } from "../cache/node-decision.js";
import type { StatusCounts } from "../events/event-types.js";
import type { AttemptOutcome, NodeStatus, SkipKind, StatusReason } from "../execute/node-result.js";
import type { LineageDocument } from "../track/lineage.generated.js";
import type { RunPolicy } from "./run-policy.js";
import type { RunSnapshotDocument } from "./run-snapshot.js";
import type { RunStatus } from "./run-status.js";

/** A row of `run_summary`: one run attempt. Times are ISO 8601 strings. */
export interface RunSummaryRow {
  readonly runId: string;
  readonly attempt: number;
  readonly pipelineName: string;
  readonly batchRunId: string | undefined;
  readonly pipelinePath: string | undefined;
  readonly status: RunStatus;
  readonly startTime: string;
  /** Undefined while the run is `running`. */
  readonly endTime: string | undefined;
  readonly durationMs: number | undefined;
  readonly stepCount: number | undefined;
  /** Nodes by final status; undefined while the run is `running`. */
  readonly counts: StatusCounts | undefined;
  /** The exit code the run gave its process; undefined while the run is `running`. */
  readonly exitCode: number | undefined;
  readonly policy: RunPolicy | undefined;
  /** The process that ran it. */
  readonly pid: number | undefined;
  /** The host of that process (undefined in rows of an older linea). */
  readonly host?: string | undefined;
  /** Why the run ended as it did, when its status alone does not say: how a `crashed` run was found. */
  readonly statusNote?: string | undefined;
  /** When this row was last written. */
  readonly recordedAt: string;
}

/** A row of `node_history`: one node of one run attempt. */
export interface NodeHistoryRow {
  readonly runId: string;
  readonly attempt: number;
  readonly stepName: string;
  /** Index in the plan's order. */
  readonly position: number;
  readonly layer: string | undefined;
  readonly status: NodeStatus;
  readonly kind: SkipKind | undefined;
  readonly blockedBy: string | undefined;
  readonly statusReason: StatusReason | undefined;
  readonly attempts: number;
  readonly durationMs: number;
  readonly startTime: string | undefined;
  readonly endTime: string | undefined;
  /** Rows over all outputs, for a node that produced them. */
  readonly rowCount: number | undefined;
  /** Rows of each output. */
  readonly outputRows: Readonly<Record<string, number>> | undefined;
  readonly cacheKey: string | undefined;
  readonly reusedFrom: ReuseSource | undefined;
  readonly error: string | undefined;
  readonly errorCode: string | undefined;
}

/** A row of `attempt_history`: one attempt of one node. */
export interface AttemptHistoryRow {
  readonly runId: string;
  /** The run attempt (1 for a fresh run, 2 and up for resumes). */
  readonly runAttempt: number;
  readonly stepName: string;
  /** The node's attempt, from 1. */
  readonly attempt: number;
  readonly startTime: string;
  readonly durationMs: number;
  readonly outcome: AttemptOutcome;
  readonly error: string | undefined;
  readonly errorCode: string | undefined;
  readonly retryDelayMs: number | undefined;
}

/** A row of `run_log`: one event of a run attempt, its payload as JSON (JSON-safe). */
export interface RunLogRow {
  readonly runId: string;
  readonly attempt: number;
  /** The event's number in its run attempt, from 1. */
  readonly seq: number;
  readonly eventType: string;
  readonly timestamp: string | undefined;
  readonly stepName: string | undefined;
  readonly payload: Readonly<Record<string, unknown>>;
}

/** Everything the history holds about one run attempt. */
export interface RunAttemptDetail {
  readonly summary: RunSummaryRow;
  /** In plan order. */
  readonly nodes: readonly NodeHistoryRow[];
  /** Every attempt of every node, by node in plan order, then attempt. */
  readonly stepAttempts: readonly AttemptHistoryRow[];
  /** Every event, in emission order. */
  readonly log: readonly RunLogRow[];
  /** Undefined while the run is `running`. */
  readonly snapshot: RunSnapshotDocument | undefined;
  readonly lineage: LineageDocument | undefined;
}

/** Everything the history holds about one run: each of its attempts (the first run, then its resumes). */
export interface RunDetail {
  readonly runId: string;
  /** By attempt number, ascending: the last is the latest. */
  readonly attempts: readonly RunAttemptDetail[];
}
