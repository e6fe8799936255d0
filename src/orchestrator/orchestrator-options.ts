import type { CacheIndex } from "../cache/cache-index.js";
import type { ObjectStore } from "../cache/object-store.js";
import type { CheckpointStore } from "../checkpoint/checkpoint-store.js";
import type { DuckDBEngineOptions } from "../engines/duckdb/duckdb-engine.js";
import type { Engine } from "../engines/engine.js";
import type { EventBus } from "../events/event-bus.js";
import type { RetryOptions } from "../step/retry-policy.js";
import type { StepExecutor } from "../execute/step-executor.js";
import type { HistoryStore } from "../history/history-store.js";
import type { DatasetValue, Step } from "../step/step.js";

/** Where warnings go: an observer failed and the run went on. */
export interface Logger {
  warn(message: string): void;
}

/** Options of an {@link Orchestrator}. */
export interface OrchestratorOptions {
  /** The pipeline's name, in events, lineage and history. */
  name: string;
  steps: readonly Step[];
  /** Receives the run's lifecycle events; hooks registered on it run for every run of this orchestrator. */
  eventBus?: EventBus;
  /** Takes snapshots (schema, row count, sample rows) of every step's inputs and outputs. @default true */
  enableTracker?: boolean;
  /** Steps running at once. @default 4 */
  maxWorkers?: number;
  /** Run every branch that does not depend on a failure, instead of stopping at the first. @default false */
  continueOnError?: boolean;
  /** Retries of every step (a step's `retry.maxRetries` overrides it). @default 0 */
  maxRetries?: number;
  /** Run-wide retry options; a step's own override them field by field. */
  retry?: RetryOptions;
  /** Each attempt's limit, for every step without its own. */
  timeoutMs?: number;
  /** Reuse results of earlier runs, and keep new ones. @default true */
  cache?: boolean;
  /**
   * The cache's folder, or its stores: `{ objects, index }` (an {@link ObjectStore} and a {@link CacheIndex}).
   * Checkpoints point at objects of the same object store. @default ".linea/cache" under baseDir
   */
  cacheDir?: string | CacheStorage;
  /** The cache's size limit; past it, least recently used entries are evicted after a run. @default 5 GiB */
  cacheMaxBytes?: number;
  /**
   * Which outputs the cache and checkpoints keep. `"auto"`: source files, Parquet files write steps wrote,
   * small outputs (small rows and values inline), outputs no step reads, and large outputs that took more
   * than twice as long to compute as storing them would take; a large output that was quick to compute is not written, and
   * is recomputed from its inputs when a later run (or a resume) needs it. `"all"`: every output. @default "auto"
   */
  persist?: "auto" | "all";
  /** Under `persist: "auto"`, outputs of at most this many cells (rows × columns) are always kept. @default 1000000 */
  persistSmallCells?: number;
  /**
   * Under `persist: "auto"`, what storing one cell costs on this machine, in nanoseconds: a large output is
   * kept when its step took longer than `persistRecomputeFactor` times its cells times this. @default 25
   */
  persistWriteNsPerCell?: number;
  /**
   * Under `persist: "auto"`, how many times longer than storing it (see `persistWriteNsPerCell`) a large
   * output's step must have taken for the output to be kept: storing is paid by every run that makes it,
   * recomputing only by a later run that needs it. 1 keeps more (a later run that changes a step just below
   * it rebuilds less), higher keeps less (cold runs write less). @default 2
   */
  persistRecomputeFactor?: number;
  /** Keep a checkpoint of each run (its succeeded steps' outputs), so a failed run can be resumed. @default true */
  checkpoint?: boolean;
  /** The checkpoints' folder, or a {@link CheckpointStore}. @default ".linea/checkpoints" under baseDir */
  checkpointDir?: string | CheckpointStore;
  /**
   * The run history: a DuckDB file, a PostgreSQL database (`postgres://user@host:5432/db`, shared by
   * coordinators on several machines), a {@link HistoryStore}, or false for none. @default ".linea/history.duckdb" under baseDir
   */
  historyDb?: string | false | HistoryStore;
  /**
   * What runs each attempt of a step: an executor, or a function of the run's in-process executor that
   * returns the one to use (a queue-backed executor may keep some steps local). @default the in-process one
   */
  executor?: StepExecutor | ((inProcess: StepExecutor) => StepExecutor);
  /**
   * Run steps on a worker pool: the Redis of its BullMQ queue (`redis://HOST:PORT`). Workers are started
   * with `linea worker <pipeline> --queue ... --store ...`; steps with `placement: "local"` stay here. Needs `store`.
   */
  queue?: string;
  /** The BullMQ queue's name; workers must be given the same. @default `linea.<pipeline name>` */
  queueName?: string;
  /** The object store shared with the workers: a folder, `file:///path` or `s3://bucket/prefix`. */
  store?: string;
  /** Sample rows kept per snapshot; 0 keeps none. @default 5 */
  sampleRows?: number;
  /**
   * Columns (PII) whose sample values are masked, matched case-insensitively, in the tracker and in every
   * export (lineage JSON, OpenLineage, HTML).
   */
  redact?: readonly string[];
  /**
   * Relative read and write paths resolve against it, and the pipeline's files stay under it: a read or
   * write path that resolves outside (`..`, an absolute path, a symbolic link that points out) is refused
   * when the plan is made, and DuckDB (SQL steps, `ctx.duckdb`) can open no file outside it.
   * @default process.cwd()
   */
  baseDir?: string;
  /**
   * Files and folders outside `baseDir` the pipeline may read and write too (relative ones resolve against
   * `baseDir`). The sandbox's one way to widen. @default []
   */
  allowPaths?: readonly string[];
  /** Datasets no step produces, given up front (those given to `execute` are added to them). */
  sources?: Readonly<Record<string, DatasetValue>>;
  /** How DuckDB is opened. */
  duckdb?: DuckDBEngineOptions;
  /**
   * Engines of this orchestrator besides the registered ones (see `registerEngine`): its `run` steps may
   * name them in `engine`, and a body kind one of them implements runs on it. @default []
   */
  engines?: readonly Engine[];
  /**
   * Params of every step, under each step's own `params` (which win). They reach `ctx.params`, a SQL step's
   * named parameters (`$min` takes `min`), and the cache key.
   */
  params?: Readonly<Record<string, unknown>>;
  /** Params of one step each, over its own: `{ enrich: { min_qty: 3 } }` (`--param enrich.min_qty=3`). */
  stepParams?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Receives warnings. @default writes `linea: warning: ...` to stderr */
  logger?: Logger;
}

/** The cache's stores, given as instances instead of a folder. */
export interface CacheStorage {
  readonly objects: ObjectStore;
  readonly index: CacheIndex;
  /** Where the content hashes of source files are memoised. @default ".linea/cache/files" under baseDir */
  readonly fileVersionsDir?: string;
}

/** Options of one `execute()`. */
export interface ExecuteOptions {
  /** Datasets no step produces. */
  sources?: Readonly<Record<string, DatasetValue>>;
  /** Aborting it interrupts the run: nothing new starts and running steps see their `ctx.signal` abort. */
  signal?: AbortSignal;
  /** The pipeline file this run comes from, kept in the checkpoint so `linea resume <run-id>` finds it. */
  pipelinePath?: string;
  /**
   * Runs only the steps this dbt-style expression chooses: `name`, `name+` (and its descendants), `+name`
   * (and its ancestors), `+name+`, `N+name`/`name+N` (N hops), `@name`, `tag:x`, `layer:x`, `*` and `?`
   * wildcards; `,` or spaces for a union. Inputs from unselected steps are reused from the cache or a
   * recent checkpoint; when one is not stored, `execute` throws a SelectionError naming the steps to add.
   */
  select?: string;
  /** Leaves out the steps this expression chooses (same syntax as `select`). */
  exclude?: string;
}

/**
 * Options of one `resume()`: those of `execute()`, and the run options that may change on a resume. Each
 * one not given keeps the value of the run resumed (a run started with the cache off resumes with it off).
 */
export interface ResumeOptions extends Omit<ExecuteOptions, "select" | "exclude"> {
  cache?: boolean;
  continueOnError?: boolean;
  maxRetries?: number;
  maxWorkers?: number;
  timeoutMs?: number;
}
