import type { StoredOutput } from "../cache/stored-output.js";
import type { StepTaskResult } from "../execute/step-executor.js";

/**
 * What a BullMQ job carries: references, never data. One job is one try of one step of one run attempt.
 * Plain JSON: it crosses Redis.
 */
export interface StepJob {
  readonly format: 2;
  readonly runId: string;
  readonly runAttempt: number;
  readonly pipelineName: string;
  /** The pipeline's fingerprint: a worker whose pipeline differs refuses the job. */
  readonly fingerprint: string;
  /** The coordinator's linea version: a worker of another version refuses the job. */
  readonly lineaVersion: string;
  /** The step, by its position in the pipeline's steps and its name (both must match on the worker). */
  readonly step: { readonly index: number; readonly name: string };
  /** The try of the step in this run attempt, from 1 (linea owns retries; BullMQ's `attempts` is 1). */
  readonly try: number;
  readonly params: Readonly<Record<string, unknown>>;
  readonly timeoutMs: number | undefined;
  /**
   * Each input by the step's local name for it: the dataset and its stored data, with its probes: a
   * content-addressed object of the shared store (named by its sha256), or a small output inline
   * (rows or a value, checked against its sha256 where it is read).
   */
  readonly inputs: Readonly<Record<string, { readonly dataset: string; readonly stored: StoredOutput }>>;
  /** The data version each output is stored under (derived from the step's cache key, when it has one). */
  readonly dataVersions?: Readonly<Record<string, string>>;
  /** Columns whose sample values the worker masks before anything leaves it. */
  readonly redact: readonly string[];
  /** Sample rows per snapshot. */
  readonly sampleRows: number;
}

/**
 * What a worker reports for a job: how the attempt ended (its outputs as `stored` references into the shared
 * store, redacted snapshots, check results, timings), or why it refused the job. Plain JSON.
 */
export type StepJobResult =
  | { readonly kind: "ended"; readonly worker: string; readonly result: StepTaskResult }
  | { readonly kind: "refused"; readonly reason: string; readonly worker: string };

/** A job's id: run id, run attempt, step and try, so that adding the same try twice is a no-op. */
export function stepJobId(runId: string, runAttempt: number, step: string, tryNumber: number): string {
  return `${runId}|${runAttempt}|${step}|${tryNumber}`;
}
