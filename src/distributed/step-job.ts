import type { Column } from "../data/dataset.js";
import type { StoredObject } from "../cache/object-store.js";

/** One input or output of a remote step: a content-addressed object of the shared store, with its probes. */
export interface DataRef {
  readonly object: StoredObject;
  readonly rowCount: number;
  readonly schema: readonly Column[];
  /** The first rows, JSON-safe. */
  readonly sample: ReadonlyArray<Record<string, unknown>>;
}

/**
 * What a BullMQ job carries: references, never data. One job is one try of one step of one run attempt.
 * Plain JSON: it crosses Redis.
 */
export interface StepJob {
  readonly format: 1;
  readonly runId: string;
  readonly runAttempt: number;
  readonly pipelineName: string;
  /** The pipeline's fingerprint: a worker whose pipeline differs refuses the job. */
  readonly fingerprint: string;
  /** The coordinator's linea version: a worker of another version refuses the job. */
  readonly lineaVersion: string;
  readonly step: string;
  /** The try of the step in this run attempt, from 1 (linea owns retries; BullMQ's `attempts` is 1). */
  readonly try: number;
  readonly params: Readonly<Record<string, unknown>>;
  readonly timeoutMs: number | undefined;
  /** Each input dataset of the step, by dataset name. */
  readonly inputs: Readonly<Record<string, DataRef>>;
}

/** What a worker reports for a job: the outputs it stored, or why the step failed. Plain JSON. */
export type StepJobResult =
  | {
    readonly kind: "success";
    readonly outputs: Readonly<Record<string, DataRef>>;
    readonly worker: string;
    readonly durationMs: number;
  }
  | {
    readonly kind: "failed";
    readonly error: { readonly name: string; readonly message: string; readonly code: string | undefined };
    readonly worker: string;
    readonly durationMs: number;
  }
  | { readonly kind: "refused"; readonly reason: string; readonly worker: string };

/** A job's id: run id, run attempt, step and try, so that adding the same try twice is a no-op. */
export function stepJobId(runId: string, runAttempt: number, step: string, tryNumber: number): string {
  return `${runId}|${runAttempt}|${step}|${tryNumber}`;
}
