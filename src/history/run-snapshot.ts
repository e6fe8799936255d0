import type { StatusCounts } from "../events/event-types.js";
import { SKIP_KINDS, type NodeResult, type NodeStatus, type SkipKind, type StatusReason } from "../execute/node-result.js";
import type { RunResult } from "../execute/run-result.js";
import type { ReuseSource } from "../cache/node-decision.js";
import { errorMessage } from "../util/error-message.js";
import { keyedRecord } from "../util/keyed-record.js";
import { policyToJson, type RunPolicy, type RunPolicyJson } from "./run-policy.js";
import { runStatusOf, type FinishedRunStatus } from "./run-status.js";

/** What a run's end adds to its result: how the process exits, the policy it ran under, its pipeline file. */
export interface RunFinishDetails {
  /** The exit code the run gives its process (the CLI's; a script's own choice). */
  readonly exitCode: number;
  readonly policy: RunPolicy;
  /** The pipeline file the run came from, when it came from one. */
  readonly pipelinePath?: string;
}

/** One node's outcome in a run snapshot. */
export interface SnapshotOutcome {
  readonly status: NodeStatus;
  readonly kind?: SkipKind;
  readonly blocked_by?: string;
  readonly status_reason?: StatusReason;
  readonly attempts: number;
  readonly duration_ms: number;
  /** Rows of each output. */
  readonly rows?: Readonly<Record<string, number>>;
  readonly cache_key?: string;
  /** What the cache key is made of, hashed part by part (`linea diff` says from it why a key changed). */
  readonly key_parts?: { readonly code: string; readonly params: string; readonly inputs: Readonly<Record<string, string>>; readonly versions: string };
  readonly reused_from?: ReuseSource;
  /** The last attempt's error message, for a failed node. */
  readonly error?: string;
}

/**
 * The run snapshot: one JSON document per run attempt that holds what `linea history <run-id>` shows and
 * what a later tool needs to explain the run without its process: the plan and dependencies, the policies,
 * every node's outcome, the counts and the reasons of failures. snake_case, JSON-safe.
 */
export interface RunSnapshotDocument {
  readonly run_id: string;
  readonly attempt: number;
  readonly pipeline_name: string;
  readonly batch_run_id: string;
  readonly status: FinishedRunStatus;
  readonly exit_code: number;
  readonly start_time: string;
  readonly end_time: string;
  readonly duration_ms: number;
  readonly pipeline_path?: string;
  readonly policy: RunPolicyJson;
  readonly plan: { readonly order: readonly string[]; readonly layers: readonly (readonly string[])[] };
  /** Each step's upstream steps, in plan order. */
  readonly dependencies: Readonly<Record<string, readonly string[]>>;
  readonly outcomes: Readonly<Record<string, SnapshotOutcome>>;
  readonly counts: { readonly by_status: StatusCounts; readonly by_kind: Readonly<Record<SkipKind, number>> };
  /** Every failed step with its error, in plan order. */
  readonly failure_reasons: ReadonlyArray<{ readonly step: string; readonly error: string }>;
  /** The run's warnings (observers that failed while it went on). */
  readonly warnings: ReadonlyArray<{ readonly source: string; readonly message: string }>;
}

function outcomeOf(node: NodeResult): SnapshotOutcome {
  // Built by assignment, in the order the fields are listed (no chain of spreads: 10,000 nodes a run).
  const outcome: { -readonly [K in keyof SnapshotOutcome]?: SnapshotOutcome[K] } = { status: node.status };
  if (node.kind !== undefined) outcome.kind = node.kind;
  if (node.blockedBy !== undefined) outcome.blocked_by = node.blockedBy;
  if (node.statusReason !== undefined) outcome.status_reason = node.statusReason;
  outcome.attempts = node.attempts;
  outcome.duration_ms = node.durationMs;
  if (node.rowCounts !== undefined) outcome.rows = copyRecord(node.rowCounts);
  if (node.cacheKey !== undefined) outcome.cache_key = node.cacheKey;
  if (node.keyParts !== undefined) {
    const { code, params, inputs, versions } = node.keyParts;
    outcome.key_parts = { code, params, inputs: copyRecord(inputs), versions };
  }
  if (node.reusedFrom !== undefined) outcome.reused_from = node.reusedFrom;
  if (node.error !== undefined) outcome.error = errorMessage(node.error);
  return outcome as SnapshotOutcome;
}

/** A copy of a record keyed by data names (in V8's dictionary mode, as such records are kept). */
function copyRecord<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  const copy = keyedRecord<T>();
  for (const key of Object.keys(record)) copy[key] = record[key] as T;
  return copy;
}

function countByKind(nodes: readonly NodeResult[]): Record<SkipKind, number> {
  const counts = Object.fromEntries(SKIP_KINDS.map((k) => [k, 0])) as Record<SkipKind, number>;
  for (const node of nodes) if (node.status === "skipped" && node.kind !== undefined) counts[node.kind]++;
  return counts;
}

/**
 * The snapshot document of a finished run.
 *
 * @example
 * ```ts
 * const doc = buildRunSnapshot(result, { exitCode: 1, policy: runPolicyOf(options) });
 * doc.failure_reasons; // [{ step: "enrich", error: 'Step "enrich" failed: ...' }]
 * ```
 */
export function buildRunSnapshot(result: RunResult, details: RunFinishDetails): RunSnapshotDocument {
  return buildSnapshotWith(result, details, true);
}

/**
 * {@link buildRunSnapshot}, its `outcomes` left empty when `withOutcomes` is false (run-record-json.ts writes
 * them straight from the nodes).
 */
export function buildSnapshotWith(result: RunResult, details: RunFinishDetails, withOutcomes: boolean): RunSnapshotDocument {
  const order = result.plan.order;
  const nodes = order.map((step) => [step, result.nodes[step]] as const).filter((e): e is readonly [string, NodeResult] => e[1] !== undefined);
  const dependencies = keyedRecord<readonly string[]>();
  for (const step of result.plan.steps) dependencies[step.name] = [...step.upstream];
  const outcomes = keyedRecord<SnapshotOutcome>();
  if (withOutcomes) for (const [step, node] of nodes) outcomes[step] = outcomeOf(node);
  return {
    run_id: result.runId,
    attempt: result.runAttempt,
    pipeline_name: result.pipelineName,
    batch_run_id: result.batchRunId,
    status: runStatusOf(result),
    exit_code: details.exitCode,
    start_time: result.startTime,
    end_time: result.endTime,
    duration_ms: result.durationMs,
    ...(details.pipelinePath !== undefined ? { pipeline_path: details.pipelinePath } : {}),
    policy: policyToJson(details.policy),
    plan: { order: [...order], layers: result.plan.layers.map((layer) => [...layer]) },
    dependencies,
    outcomes,
    counts: { by_status: { ...result.counts }, by_kind: countByKind(nodes.map(([, node]) => node)) },
    failure_reasons: nodes.filter(([, n]) => n.status === "failed").map(([step, n]) => ({ step, error: n.error ? errorMessage(n.error) : "failed" })),
    warnings: result.warnings.map((w) => ({ source: w.source, message: w.message })),
  };
}
