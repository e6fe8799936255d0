import type { StepColumnLineage } from "../lineage/column-lineage.js";
import type { ReuseSource } from "../cache/node-decision.js";
import type { CheckResult } from "./check-result.js";

/** Where a node ends up. */
export const NODE_STATUSES = ["success", "cached", "failed", "skipped"] as const;
export type NodeStatus = (typeof NODE_STATUSES)[number];

/** Why a skipped node never ran: an upstream failed (`blocked`), or fail-fast or an interrupt stopped the run (`aborted`). */
export const SKIP_KINDS = ["blocked", "aborted"] as const;
export type SkipKind = (typeof SKIP_KINDS)[number];

/** The machine-readable reason of a skip, or of a failure caused by an interrupt. */
export const STATUS_REASONS = ["upstream_failed", "fail_fast_abort", "interrupted"] as const;
export type StatusReason = (typeof STATUS_REASONS)[number];

/** How one attempt ended. */
export const ATTEMPT_OUTCOMES = ["success", "failed", "timeout", "interrupted"] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** One attempt of one node. */
export interface AttemptRecord {
  /** 1-based. */
  readonly attempt: number;
  readonly startTime: string;
  readonly durationMs: number;
  readonly outcome: AttemptOutcome;
  readonly error?: Error;
  /** The backoff waited after this attempt before the next, if there was a next. */
  readonly retryDelayMs?: number;
}

/** What happened to one node of a run. */
export interface NodeResult {
  readonly status: NodeStatus;
  readonly kind?: SkipKind;
  /** For `blocked` nodes: the failed upstream step that blocked it. */
  readonly blockedBy?: string;
  readonly statusReason?: StatusReason;
  /** Attempts made: 0 for a skipped or cached node, else from 1. */
  readonly attempts: number;
  readonly attemptLog: readonly AttemptRecord[];
  readonly durationMs: number;
  readonly startTime?: string;
  readonly endTime?: string;
  /** The last attempt's error, for a failed node. */
  readonly error?: Error;
  readonly cacheKey?: string;
  /** For a `cached` node: where its result came from. */
  readonly reusedFrom?: ReuseSource;
  /** Rows of each output, for a node that produced its outputs. */
  readonly rowCounts?: Readonly<Record<string, number>>;
  /** The data checks of the step's outputs (of the last attempt). */
  readonly checks?: readonly CheckResult[];
  /** The column lineage of a node that ran and succeeded (kept with its cached result). */
  readonly columnLineage?: StepColumnLineage;
}

export function skippedResult(kind: SkipKind, statusReason: StatusReason, blockedBy?: string): NodeResult {
  return blockedBy === undefined
    ? { status: "skipped", kind, statusReason, attempts: 0, attemptLog: [], durationMs: 0 }
    : { status: "skipped", kind, statusReason, blockedBy, attempts: 0, attemptLog: [], durationMs: 0 };
}
