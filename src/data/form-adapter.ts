import type { ColumnBatch } from "./column-batch.js";
import type { Column, DatasetForm, DatasetForms, Row } from "./dataset.js";

/**
 * What form adapters and engine bodies may need from the run: each engine's session of the run (DuckDB's
 * schema of the run's tables, danfo's module), opened on first use.
 */
export interface DataRuntime {
  /** The run's session of engine `name` (undefined for an engine that holds nothing), opened on first use. */
  session(name: string): Promise<unknown>;
}

/** The value type of a form: a built-in form's own, `unknown` for a form an engine registered. */
export type FormValue<F extends string> = F extends DatasetForm ? DatasetForms[F] : unknown;

/**
 * How one form answers the questions linea asks of data. Probes (`schema`, `rowCount`, `sample`) never
 * convert; conversions go through a {@link ColumnBatch}.
 */
export interface FormAdapter<F extends string = string, V = FormValue<F>> {
  readonly form: F;
  /** True when `value` is held in this form (a cheap structural test). */
  matches(value: unknown): value is V;
  schema(value: V, runtime: DataRuntime): Promise<Column[]>;
  rowCount(value: V, runtime: DataRuntime): Promise<number>;
  /** The row count when it is known without any work (an array's length, a table's numRows), else undefined. */
  knownRowCount(value: V): number | undefined;
  sample(value: V, n: number, runtime: DataRuntime): Promise<Row[]>;
  /**
   * `schema` and `sample` at once, for a form held in memory that needs no engine to answer them (plain
   * rows): the tracker's snapshot of a quick step's output then makes no promise.
   */
  schemaNow?(value: V): Column[];
  sampleNow?(value: V, n: number): Row[];
  toBatch(value: V, runtime: DataRuntime): Promise<ColumnBatch>;
  fromBatch(batch: ColumnBatch, runtime: DataRuntime): Promise<V>;
  /** A copy a step may mutate without changing the dataset (the value itself for immutable forms). */
  handOut(value: V): V;
  /** A digest of the value's content, computed where it is held (else linea hashes its rows). */
  fingerprint?(value: V): Promise<string>;
  /** A value with these columns (DuckDB type names) and no rows, for a form that can hold one. */
  empty?(columns: readonly Column[], runtime: DataRuntime): Promise<V>;
  /**
   * Frees what the value holds in its engine (DuckDB drops its table), for data the run made but will not
   * use. The value must not be used afterwards. Forms held in memory need none: the garbage collector frees them.
   */
  release?(value: V): Promise<void>;
}
