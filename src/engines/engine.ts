import type { DatasetHandle } from "../data/dataset-handle.js";
import type { DataRuntime, FormAdapter } from "../data/form-adapter.js";
import type { StepColumnLineage } from "../lineage/column-lineage.js";
import type { SqlLineageRequest } from "../lineage/sql-lineage-request.js";
import type { Check } from "../step/check.js";
import type { FileFormat, FileOptionValue } from "../step/step.js";
import type { StepBody, StepSpec } from "../step/step-spec.js";

/** The kinds of body an engine may implement besides `run` (a `run` body is the step's own function). */
export const ENGINE_BODY_KINDS = ["sql", "read", "write", "checks"] as const;
export type EngineBodyKind = (typeof ENGINE_BODY_KINDS)[number];

/** What a body needs from the run: the step, its inputs, the run's open engines, its signal. */
export interface BodyContext {
  readonly spec: StepSpec;
  /** 1 on the first attempt, 2 on the first retry, ... */
  readonly attempt: number;
  /** Aborted when the attempt times out or the run is interrupted. */
  readonly signal: AbortSignal;
  /** Relative read and write paths resolve against it. */
  readonly baseDir: string;
  /** The run's engines (each opened on first use) and data conversions. */
  readonly runtime: DataRuntime;
  /** The handle of an input dataset, by dataset name (a step starts only once all of its inputs exist). */
  input(dataset: string): DatasetHandle;
  /** True when `name` is a dataset of the pipeline (a source or a step's output): for hints in messages. */
  isDataset(name: string): boolean;
}

/** What an engine measured for one data check: the rows that break it out of all rows, or why it could not. */
export type CheckMeasure =
  | { readonly failing: number; readonly total: number }
  | { readonly error: unknown };

/** The bodies an engine implements; the core judges and reports what they return. */
export interface EngineBodies {
  /** A `sql` step: its one output, from its query over its inputs (each visible by its local name). */
  sql?(body: Extract<StepBody, { kind: "sql" }>, ctx: BodyContext): Promise<DatasetHandle[]>;
  /** A `read` step: its one output, read from the file. */
  read?(body: Extract<StepBody, { kind: "read" }>, ctx: BodyContext): Promise<DatasetHandle[]>;
  /** A `write` step: writes its one input to the file (atomically: no partial file on failure); no outputs. */
  write?(body: Extract<StepBody, { kind: "write" }>, ctx: BodyContext): Promise<DatasetHandle[]>;
  /** Measures `checks` over one table output, in order (one result per check). */
  checks?(table: DatasetHandle, checks: readonly Check[], runtime: DataRuntime): Promise<CheckMeasure[]>;
}

/** How an engine stores tables in files and loads them back (the cache, checkpoints and remote steps use it). */
export interface EngineStorage {
  /** Writes a value of the engine's form to a Parquet file at `path`. */
  writeParquet(value: unknown, path: string): Promise<void>;
  /** Loads a Parquet file into the engine's form; `rowCount` too, where known. */
  readParquet(path: string, runtime: DataRuntime): Promise<unknown>;
  /** Reads a source file again, as the engine's `read` body read it (for a reused read step). */
  readFile(path: string, format: FileFormat, options: Readonly<Record<string, FileOptionValue>>, runtime: DataRuntime): Promise<unknown>;
}

/** What an engine is given when it opens for an orchestrator. */
export interface EngineHost {
  /** The options given for this engine (the orchestrator's option named after it, e.g. `duckdb`). */
  readonly options: unknown;
  /** The files and folders the engine may open (the pipeline's sandbox); undefined leaves it unconfined. */
  readonly access: { readonly directories: readonly string[]; readonly paths: readonly string[] } | undefined;
}

/** An engine opened for one orchestrator (DuckDB: its instance and connection pool). */
export interface EngineInstance {
  /** Opens one run's session: what `runtime.session(name)` gives (DuckDB: the schema holding the run's tables). */
  openRun(): Promise<EngineSession>;
  close(): void | Promise<void>;
}

/** One run's session of an engine. */
export interface EngineSession {
  /** What the engine's form and bodies work with (DuckDB: a `DuckRun`; danfo: the danfojs-node module). */
  readonly value: unknown;
  /** Releases what the run made (DuckDB: drops the run's tables). */
  dispose(): Promise<void>;
}

/** What an engine adds to the context of one running `run` step (DuckDB: `ctx.duckdb`). */
export interface EngineStep {
  /** Put on the step's context under the engine's name. */
  readonly member: unknown;
  /**
   * Ends the step: `outputs` are what it returned (what it made and did not return may go). Returns nothing
   * when there is nothing to wait for (a step that never used the member), so that a quick step stays synchronous.
   */
  close(outputs: readonly DatasetHandle[]): Promise<void> | void;
}

/** What an engine gets when a `run` step starts. */
export interface EngineStepStart {
  readonly spec: StepSpec;
  /** The engine the step's inputs arrive in (`spec.body.engine`). */
  readonly engine: string;
  /** The inputs as the step receives them, by local name. */
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly signal: AbortSignal;
  readonly runtime: DataRuntime;
}

/**
 * A dataframe engine: the form its data is held in, the bodies it runs, its version for cache keys, and
 * how it opens (per orchestrator, per run, per step). The executor, the cache and the checks reach engines
 * only through it; DuckDB, danfo, Arrow and plain rows are the built-in ones. Add one with
 * {@link registerEngine} or the orchestrator option `engines`; a `run` step then names it in `engine`.
 *
 * @example
 * ```ts
 * const toy: Engine = {
 *   name: "toy", form: toyForm, bodies: {},
 *   version: () => "1.0.0",
 * };
 * registerEngine(toy);
 * const steps = [{ name: "double", engine: "toy", inputs: ["orders"], outputs: ["doubled"], run: ({ orders }) => double(orders) }];
 * ```
 */
export interface Engine {
  /** The name a `run` step gives in `engine`, and the name of its form (`form.form`). */
  readonly name: string;
  /** The form a `run` step of this engine receives its inputs in and may return: how linea probes and converts it. */
  readonly form: FormAdapter<string, unknown>;
  /** The bodies it implements besides `run`; a body kind runs on the last engine registered that implements it. */
  readonly bodies: EngineBodies;
  /** The version of the library that computes its results: part of the cache key of the steps it runs (undefined: none). */
  version(): string | undefined;
  /** How it stores tables of its form in files; the last engine registered with storage stores every table it can hold. */
  readonly storage?: EngineStorage;
  /** Opens the engine for an orchestrator, on first use; without it the engine holds nothing and its session is undefined. */
  open?(host: EngineHost): Promise<EngineInstance>;
  /** What it adds to each running `run` step's context, whatever the step's engine (DuckDB: `ctx.duckdb`). */
  startStep?(start: EngineStepStart): EngineStep;
  /** Planning's check of the steps that will run on it (throws what stops the plan, e.g. a missing package). */
  checkPlan?(specs: readonly StepSpec[]): void;
  /** The column lineage of a `sql` body, from its SQL and its inputs' schemas (no data is read). */
  sqlLineage?(request: SqlLineageRequest): Promise<StepColumnLineage>;
  /** A problem of a `sql` body found before the run (undefined when there is none). */
  sqlProblem?(sql: string, instance: EngineInstance): Promise<string | undefined>;
  /** Work done before a run's clock starts, when a step of this engine will run (loading a slow module). */
  preload?(): Promise<void>;
}
