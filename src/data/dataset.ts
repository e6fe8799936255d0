import type { Table } from "apache-arrow";
import type { DataFrame } from "danfojs-node";
import type { Engine } from "../step/step.js";

/** The four forms a dataset can be held in: a DuckDB table, an Arrow Table, a danfo DataFrame, plain rows. */
export type DatasetForm = Engine;

/** A plain row: column name to value. */
export type Row = Record<string, unknown>;

/** One column of a schema. Types use DuckDB's names (`BIGINT`, `VARCHAR`, `DOUBLE`, ...) for every form. */
export interface Column {
  readonly name: string;
  readonly type: string;
}

/**
 * A dataset of a run, in whatever form its producer returned. Asking for another form converts it, at
 * most once per form; `schema()`, `rowCount()` and `sample()` never convert (for a DuckDB table they are
 * SQL: `DESCRIBE`, `count(*)`, `LIMIT n`).
 */
export interface Dataset {
  readonly name: string;
  /** The form the producer returned. */
  readonly form: DatasetForm;
  /** The data version (a content fingerprint or the producer's cache key), when known. */
  readonly version: string | undefined;
  schema(): Promise<Column[]>;
  rowCount(): Promise<number>;
  /** The first `n` rows as plain objects. */
  sample(n: number): Promise<Row[]>;
  toArrow(): Promise<Table>;
  /** A DataFrame of your own: mutating it does not change the dataset. */
  toDanfo(): Promise<DataFrame>;
  /** Rows of your own: mutating them does not change the dataset. */
  toRows(): Promise<Row[]>;
}
