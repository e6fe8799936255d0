// The shared run model: what a run says about its nodes, used by every layer above `step/` (the executor,
// the cache, the events, the tracker, the history). It imports only from `step/` and `lineage/`, so nothing here can
// close an import circle.
import type { StepColumnLineage } from "../lineage/column-lineage.js";
import type { CheckKind, CheckSeverity } from "../step/check.js";
import { EMPTY_ARRAY } from "../util/empty.js";

/**
 * What a cache key is made of, each part hashed on its own, so two runs can say why a step's key changed:
 * its code (name, body, codeVersion, outputs, checks), its params, each input's data version, or the
 * versions of linea and the engines. Kept in the run snapshot (`key_parts`); never enough to recompute data.
 */
export interface CacheKeyParts {
  readonly code: string;
  readonly params: string;
  /** Input local name to its data version (a read step's source file is `$file`). */
  readonly inputs: Readonly<Record<string, string>>;
  readonly versions: string;
}

/** Where a node ends up. */
export const NODE_STATUSES = ["success", "cached", "failed", "skipped"] as const;
export type NodeStatus = (typeof NODE_STATUSES)[number];

/** Counts of nodes by final status. */
export type StatusCounts = Readonly<Record<NodeStatus, number>>;

/** Why a skipped node never ran: an upstream failed (`blocked`), or fail-fast or an interrupt stopped the run (`aborted`). */
export const SKIP_KINDS = ["blocked", "aborted"] as const;
export type SkipKind = (typeof SKIP_KINDS)[number];

/** The machine-readable reason of a skip, or of a failure caused by an interrupt. */
export const STATUS_REASONS = ["upstream_failed", "fail_fast_abort", "interrupted"] as const;
export type StatusReason = (typeof STATUS_REASONS)[number];

/** How one attempt ended. */
export const ATTEMPT_OUTCOMES = ["success", "failed", "timeout", "interrupted"] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** Where a reused result comes from. */
export const REUSE_SOURCES = ["cache", "checkpoint"] as const;
export type ReuseSource = (typeof REUSE_SOURCES)[number];

/** How a data check ended: passed, failed (rows broke it), or could not be evaluated (`error`). */
export const CHECK_STATUSES = ["pass", "fail", "error"] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/** The outcome of one data check on one output. Plain data: it crosses process boundaries as JSON. */
export interface CheckResult {
  readonly name: string;
  readonly kind: CheckKind;
  readonly severity: CheckSeverity;
  readonly dataset: string;
  /** The column(s) checked, for column checks. */
  readonly columns: readonly string[];
  readonly status: CheckStatus;
  /** Rows that broke the check (for row_count: the row count itself). */
  readonly failingRows: number;
  readonly totalRows: number;
  /** What was checked and what was found: `3 of 1,457 rows have a null customer_id`. */
  readonly message: string;
}

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
  /** What the cache key is made of (hashed part by part), so a later run can say why it changed. */
  readonly keyParts?: CacheKeyParts;
  /** For a `cached` node: where its result came from. */
  readonly reusedFrom?: ReuseSource;
  /** Rows of each output, for a node that produced its outputs. */
  readonly rowCounts?: Readonly<Record<string, number>>;
  /** The data checks of the step's outputs (of the last attempt). */
  readonly checks?: readonly CheckResult[];
  /** The column lineage of a node that ran and succeeded (kept with its cached result). */
  readonly columnLineage?: StepColumnLineage;
}

/** The rows of all outputs of a node, from its row counts by output (0 for none). */
export function totalRows(counts: Readonly<Record<string, number>> | undefined): number {
  let sum = 0;
  for (const name in counts) sum += counts[name] as number;
  return sum;
}

export function skippedResult(kind: SkipKind, statusReason: StatusReason, blockedBy?: string): NodeResult {
  return blockedBy === undefined
    ? { status: "skipped", kind, statusReason, attempts: 0, attemptLog: EMPTY_ARRAY, durationMs: 0 }
    : { status: "skipped", kind, statusReason, blockedBy, attempts: 0, attemptLog: EMPTY_ARRAY, durationMs: 0 };
}

/** Counts nodes by final status (every status present, zero or more). */
export function countByStatus(results: Iterable<NodeResult>): StatusCounts {
  const counts = Object.fromEntries(NODE_STATUSES.map((s) => [s, 0])) as Record<NodeStatus, number>;
  if (Array.isArray(results)) {
    // Indexed over an array (the usual case): the loop runs once per run over every node, mostly unoptimised.
    for (let i = 0; i < results.length; i++) counts[(results[i] as NodeResult).status]++;
  } else for (const result of results) counts[result.status]++;
  return counts;
}
