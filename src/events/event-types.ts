import type { StepColumnLineage } from "../lineage/column-lineage.js";
import type { AttemptOutcome, CheckResult, NodeStatus, ReuseSource, SkipKind, StatusCounts, StatusReason } from "../model/run-model.js";

export type { StatusCounts } from "../model/run-model.js";

/** Every event a run emits, in the order of a run's life. */
export const EVENT_TYPES = [
  "pipeline_start",
  "node_start",
  "node_retry",
  "node_complete",
  "node_cached",
  "node_error",
  "node_skipped",
  "pipeline_complete",
  "pipeline_error",
  "hook_error",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Fields every event carries. */
export interface RunEventBase {
  readonly pipelineName: string;
  readonly runId: string;
  readonly batchRunId: string;
  /** ISO 8601 time the event was emitted. */
  readonly timestamp: string;
}

/** Fields every node event carries. */
export interface NodeEventBase extends RunEventBase {
  readonly stepName: string;
  readonly layer: string | undefined;
}

/** The payload of each event type. (A type alias, not an interface, so it fits mitt's event map.) */
export type EventPayloads = {
  /** Once per run, before any node starts. */
  pipeline_start: RunEventBase & {
    readonly stepCount: number;
    /** Every step's name, in plan order. */
    readonly steps: readonly string[];
    readonly maxWorkers: number;
    readonly continueOnError: boolean;
    /** 1 for a fresh run, 2 and up for resumes of it. */
    readonly runAttempt: number;
  };
  /** Once per node that runs, before its first attempt. */
  node_start: NodeEventBase & {
    readonly inputs: readonly string[];
    readonly outputs: readonly string[];
    /** The node's cache key, when the cache or checkpoints are on. */
    readonly cacheKey: string | undefined;
    /** Why the node runs rather than reusing a stored result (a miss, `recompute`, corrupted data, ...). */
    readonly cacheMiss: string | undefined;
  };
  /** Once per failed attempt that another attempt follows. */
  node_retry: NodeEventBase & {
    readonly attempt: number;
    /** How the failed attempt ended. */
    readonly outcome: AttemptOutcome;
    readonly delayMs: number;
    readonly errorMessage: string;
    /** Retries so far, this one included. */
    readonly retryCount: number;
  };
  /** Once per node that ran and succeeded. */
  node_complete: NodeEventBase & {
    readonly status: "success";
    readonly durationMs: number;
    /** Rows over all outputs. */
    readonly rowCount: number;
    readonly attempts: number;
    readonly outputs: Readonly<Record<string, number>>;
    /** The data checks of the step's outputs (all passed, or failed with severity `warn`). */
    readonly checks: readonly CheckResult[];
    /** The node's cache key, when the cache is on. */
    readonly cacheKey: string | undefined;
    /** The step's column lineage (COLUMN_LINEAGE.md), derived from its declaration and schemas. */
    readonly columnLineage?: StepColumnLineage;
  };
  /** Once per node reused from the cache or a checkpoint instead of running. */
  node_cached: NodeEventBase & {
    readonly status: "cached";
    readonly durationMs: number;
    readonly rowCount: number;
    readonly cacheKey: string | undefined;
    readonly outputs: Readonly<Record<string, number>>;
    /** Where the result came from: the cache, or the checkpoint of the run being resumed. */
    readonly reusedFrom: ReuseSource;
    /** The column lineage recorded when the result was made (absent for results kept before linea recorded it). */
    readonly columnLineage?: StepColumnLineage;
  };
  /** Once per node that ran and failed, after its last attempt. */
  node_error: NodeEventBase & {
    readonly status: "failed";
    readonly durationMs: number;
    readonly errorMessage: string;
    readonly errorCode: string | undefined;
    readonly attempts: number;
    /** Retries made: attempts - 1. */
    readonly retryCount: number;
    readonly statusReason: StatusReason | undefined;
    /** The data checks of the last attempt, when its body succeeded and a check failed it. */
    readonly checks: readonly CheckResult[];
  };
  /** Once per node that never ran. */
  node_skipped: NodeEventBase & {
    readonly status: "skipped";
    readonly kind: SkipKind;
    readonly blockedBy: string | undefined;
    readonly statusReason: StatusReason;
  };
  /** Once per run that ends with every node succeeded or cached. */
  pipeline_complete: RunEventBase & {
    readonly status: "success";
    readonly durationMs: number;
    readonly counts: StatusCounts;
  };
  /** Once per run that ends with a failure (a node failed, an interrupt, or linea itself failed). */
  pipeline_error: RunEventBase & {
    readonly status: "failed";
    readonly durationMs: number;
    readonly counts: StatusCounts;
    readonly errorMessage: string;
    readonly failedSteps: readonly string[];
    readonly interrupted: boolean;
  };
  /** A hook threw or timed out; the run went on. */
  hook_error: RunEventBase & {
    readonly hookName: string;
    readonly eventType: EventType;
    readonly errorMessage: string;
    /** True when this failure suspended the hook for the rest of the run. */
    readonly suspended?: boolean;
  };
};

/** One event: its type and payload together, keyed on `type`. */
export type LineaEvent = { [T in EventType]: { readonly type: T; readonly payload: EventPayloads[T] } }[EventType];

/** The terminal status a node event reports. */
export type NodeEventStatus = Extract<NodeStatus, "success" | "cached" | "failed" | "skipped">;
