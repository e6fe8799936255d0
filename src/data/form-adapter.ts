import type { DanfoModule } from "../engines/danfo/load-danfo.js";
import type { DuckRun } from "../engines/duckdb/duck-run.js";
import type { ColumnBatch } from "./column-batch.js";
import type { Column, DatasetForm, DatasetForms, Row } from "./dataset.js";

/** What form adapters may need from the run: its DuckDB (opened on first use) and danfo (loaded on first use). */
export interface DataRuntime {
  duckdb(): Promise<DuckRun>;
  danfo(): Promise<DanfoModule>;
}

/**
 * How one form answers the questions linea asks of data. Probes (`schema`, `rowCount`, `sample`) never
 * convert; conversions go through a {@link ColumnBatch}.
 */
export interface FormAdapter<F extends DatasetForm> {
  readonly form: F;
  /** True when `value` is held in this form (a cheap structural test). */
  matches(value: unknown): value is DatasetForms[F];
  schema(value: DatasetForms[F], runtime: DataRuntime): Promise<Column[]>;
  rowCount(value: DatasetForms[F], runtime: DataRuntime): Promise<number>;
  /** The row count when it is known without any work (an array's length, a table's numRows), else undefined. */
  knownRowCount(value: DatasetForms[F]): number | undefined;
  sample(value: DatasetForms[F], n: number, runtime: DataRuntime): Promise<Row[]>;
  toBatch(value: DatasetForms[F], runtime: DataRuntime): Promise<ColumnBatch>;
  fromBatch(batch: ColumnBatch, runtime: DataRuntime): Promise<DatasetForms[F]>;
  /** A copy a step may mutate without changing the dataset (the value itself for immutable forms). */
  handOut(value: DatasetForms[F]): DatasetForms[F];
}
