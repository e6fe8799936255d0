import type { Dataset, EngineForms, EngineName } from "../data/dataset.js";
import type { JsonValue } from "../data/json-value.js";
import type { RetryOptions } from "./retry-policy.js";
import type { Check } from "./check.js";
import type { DeclaredColumnLineage } from "../lineage/declared-column-lineage.js";

/** Step and dataset names: letters, digits, `_`, `.` and `-`. */
export const NAME_PATTERN = /^[A-Za-z0-9_.-]+$/;

/** The built-in engines: the forms a `run` step can ask its inputs in (and may return). */
export const ENGINES = ["duckdb", "arrow", "danfo", "rows"] as const;


/** File formats of `read` and `write` steps. */
export const FILE_FORMATS = ["csv", "parquet", "json"] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

/** Per-step cache policy: reuse when the key matches, always recompute (and store), or never touch the cache. */
export const CACHE_POLICIES = ["default", "recompute", "disable"] as const;
export type CachePolicy = (typeof CACHE_POLICIES)[number];

/** The kinds of step body; a step has exactly one. */
export const BODY_KINDS = ["sql", "run", "read", "write"] as const;
export type BodyKind = (typeof BODY_KINDS)[number];


export type { EngineForms, EngineName } from "../data/dataset.js";

/** Anything a step may return for one dataset: any engine's form (rows, an Arrow Table, a DataFrame, a relation), a Dataset handle, or a plain JSON value. */
export type DatasetValue = EngineForms[EngineName] | Dataset | JsonValue;

/** What a `run` step returns: its one output, `{ datasetName: value }` for several, or nothing when it has none. */
export type StepOutput = DatasetValue | Readonly<Record<string, DatasetValue>> | undefined | void;

/** What a step's body sees besides its inputs (and `ctx.duckdb`, SQL on the run's DuckDB). */
export interface StepContext {
  readonly stepName: string;
  readonly pipelineName: string;
  readonly runId: string;
  /** 1 on the first attempt, 2 on the first retry, ... */
  readonly attempt: number;
  /** Aborted when the step times out or the run is interrupted; pass it on to anything that accepts one. */
  readonly signal: AbortSignal;
  readonly params: Readonly<Record<string, unknown>>;
  // Each engine that adds to a step's context declares its member here: DuckDB's `duckdb`
  // (src/engines/duckdb/step-context.ts).
}

export type RunFunction<E extends EngineName = EngineName, L extends string = string> = (
  inputs: { [K in L]: EngineForms[E] },
  ctx: StepContext,
) => StepOutput | Promise<StepOutput>;

/** A scalar option value, or a list or struct of them (`types: { qty: "BIGINT" }`). */
export type FileOptionValue =
  | string
  | number
  | boolean
  | readonly (string | number | boolean)[]
  | Readonly<Record<string, string | number | boolean>>;

/** A file a `read` or `write` step names; `format` defaults to the one the extension names. */
export interface FileTarget {
  path: string;
  format?: FileFormat;
  /**
   * Extra DuckDB reader or writer options, e.g. `{ delim: ";" }` or `{ types: { qty: "BIGINT" } }` for
   * `read_csv`, `{ compression: "zstd" }` for a parquet write.
   */
  options?: Readonly<Record<string, FileOptionValue>>;
}

/** Where a step runs when the run has a queue. */
export const PLACEMENTS = ["local", "remote"] as const;
export type Placement = (typeof PLACEMENTS)[number];

/** Fields every kind of step shares. */
export interface StepCommon<L extends string = string> {
  /** Unique in the pipeline; letters, digits, `_`, `.` and `-`. */
  name: string;
  /** Free text grouping steps for people: ingest, transform, store, ... */
  layer?: string;
  /** Labels for selecting steps (`--select tag:nightly`); each one letters, digits, `_`, `.`, `-`, `:` or `/`. */
  tags?: readonly string[];
  description?: string;
  /** `{ localName: datasetName }`, or `datasetName[]` where the local name is the dataset name. */
  inputs?: Readonly<Record<L, string>> | readonly L[];
  /** The datasets the step produces. */
  outputs?: readonly string[];
  params?: Readonly<Record<string, unknown>>;
  retry?: RetryOptions;
  /** Each attempt's limit; the step's `ctx.signal` aborts when it passes. */
  timeoutMs?: number;
  /** @default "default" */
  cache?: CachePolicy;
  /** Overrides the code version derived from the body, for cache keys. */
  codeVersion?: string;
  /**
   * Where the step runs when the run has a `queue`: on the worker pool (`"remote"`, the default) or in the
   * coordinator (`"local"`: a tiny step, or one whose output cannot be stored). Without a queue every step is local.
   */
  placement?: Placement;
  /** Data checks on the step's outputs; a failing check of severity `error` fails the step. */
  checks?: readonly Check[];
}

/** DuckDB SQL; each input is visible as a table named by its local name. */
export interface SqlStep extends StepCommon {
  sql: string;
  run?: never;
  read?: never;
  write?: never;
  engine?: never;
}

/** A function over the inputs in the form `engine` names (default `rows`). */
export interface RunStep<E extends EngineName = EngineName, L extends string = string> extends StepCommon<L> {
  // Method syntax on purpose: a step typed by defineStep (inputs `{ df }`) stays assignable to `Step`.
  run(inputs: { [K in L]: EngineForms[E] }, ctx: StepContext): StepOutput | Promise<StepOutput>;
  /** The form the inputs arrive in; `rows` when omitted. */
  engine?: E;
  /**
   * The columns of outputs, by output name: `{ orders: { id: "BIGINT", amount: "DOUBLE" } }` (DuckDB type
   * names). An output declared so may be an empty array (a table with these columns and no rows), and
   * rows returned for it must have exactly these columns.
   */
  columns?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /**
   * The step's column lineage, declared (linea cannot see into a function): per output dataset, each
   * column's input fields (`dataset`: an input's dataset or local name) and dataset-wide edges. Without it
   * the step is opaque in column lineage. Shape and subtypes as in the lineage JSON's `column_lineage`.
   */
  columnLineage?: DeclaredColumnLineage;
  sql?: never;
  read?: never;
  write?: never;
}

/** Reads a CSV, Parquet or JSON file into the step's one output. */
export interface ReadStep extends StepCommon {
  read: string | FileTarget;
  sql?: never;
  run?: never;
  write?: never;
  engine?: never;
}

/** Writes the step's one input to a file, atomically. */
export interface WriteStep extends StepCommon {
  write: string | FileTarget;
  sql?: never;
  run?: never;
  read?: never;
  engine?: never;
}

/** A run step of one engine; `engine` is required except for `rows`, so TypeScript can tell them apart. */
export type RunStepOf<E extends EngineName, L extends string = string> = E extends "rows" ? RunStep<"rows", L> : RunStep<E, L> & { engine: E };

/**
 * A step as users declare it: a plain object with exactly one body. In a `Step[]` literal the body's
 * parameters are typed from `engine`.
 */
export type Step = SqlStep | ReadStep | WriteStep | RunStepOf<EngineName>;
