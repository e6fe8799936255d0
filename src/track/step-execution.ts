import type { StepColumnLineage } from "../lineage/column-lineage.js";
import type { CheckResult } from "../execute/check-result.js";
import type { AttemptOutcome, NodeStatus, SkipKind, StatusReason } from "../execute/node-result.js";
import type { EngineName, FileFormat } from "../step/step.js";
import type { StepInput } from "../step/step-spec.js";
import type { SchemaDiff } from "./schema-diff.js";
import type { Snapshot } from "./snapshot.js";

/** A step's body as the tracker records it: its kind and what it reads, writes or runs (never the function). */
export interface TrackedBody {
  readonly kind: "sql" | "run" | "read" | "write";
  readonly sql?: string;
  /** A run step's engine (a lineage file read back may name one this process has not registered). */
  readonly engine?: EngineName | (string & {});
  readonly path?: string;
  readonly format?: FileFormat;
  /** The function's source text, for `run` steps (OpenLineage's sourceCode facet). */
  readonly source?: string;
}

/** One attempt as the tracker saw it in the events. */
export interface TrackedAttempt {
  readonly attempt: number;
  readonly outcome: AttemptOutcome;
  readonly errorMessage?: string;
  readonly retryDelayMs?: number;
}

/**
 * The record of one step of a run. Snapshots are keyed by the step's local input names and by output
 * dataset names; `beforeSnapshot` and `afterSnapshot` are those of the primary (first declared) input and
 * output. `rowDelta` is the rows of all outputs minus the rows of the primary input: 0 for a write step,
 * every output row for a step without inputs.
 */
export interface StepExecution {
  readonly stepName: string;
  readonly layer: string | undefined;
  status: NodeStatus | "pending" | "running";
  kind?: SkipKind;
  blockedBy?: string;
  statusReason?: StatusReason;
  errorMessage?: string;
  startTime: string | undefined;
  endTime: string | undefined;
  durationMs: number;
  attempts: number;
  cached: boolean;
  cacheKey?: string;
  readonly inputs: readonly StepInput[];
  readonly outputs: readonly string[];
  readonly body: TrackedBody;
  beforeSnapshot: Snapshot | undefined;
  beforeSnapshots: Record<string, Snapshot>;
  afterSnapshot: Snapshot | undefined;
  afterSnapshots: Record<string, Snapshot>;
  schemaDiff: SchemaDiff | undefined;
  rowDelta: number | undefined;
  checks: readonly CheckResult[];
  attemptLog: TrackedAttempt[];
  /** The step's column lineage, once it succeeded (a cached step's as recorded when it ran). */
  columnLineage?: StepColumnLineage;
}
