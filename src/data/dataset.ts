import type { Table } from "apache-arrow";
import type { DanfoDataFrame } from "./forms/danfo-frame.js";
import type { JsonValue } from "./json-value.js";

/**
 * The value a `run` step receives for each input, by engine. Each engine adds its form here: DuckDB's
 * `duckdb: Relation` is declared with its Relation (src/engines/duckdb/relation.ts), and a project that adds
 * an engine declares its own: `declare module "linea" { interface EngineForms { toy: ToyTable } }`.
 */
export interface EngineForms {
  rows: Row[];
  arrow: Table;
  /** danfo's DataFrame when registered in {@link DanfoTypes}; else {@link DanfoFrameShape}. */
  danfo: DanfoDataFrame;
}

/**
 * The engines a `run` step may name: the built-in ones, and any a project adds (registered with
 * `registerEngine`, its form's value type declared in {@link EngineForms}).
 */
export type EngineName = keyof EngineForms & string;

/**
 * The forms a dataset can be held in: the four table forms (a DuckDB table, an Arrow Table, a danfo
 * DataFrame, plain rows), or `value`, a plain JSON value that is not a table.
 */
export type DatasetForm = EngineName | "value";

/** A dataset's value in each form. */
export interface DatasetForms extends EngineForms {
  value: JsonValue;
}

/** A table (rows and columns, in any table form) or a value (plain JSON). */
export type DatasetKind = "table" | "value";

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
  /** `value` for a plain JSON value a `run` step returned (no columns, no rows); `table` otherwise. */
  readonly kind: DatasetKind;
  /** The data version (a content fingerprint or the producer's cache key), when known. */
  readonly version: string | undefined;
  schema(): Promise<Column[]>;
  rowCount(): Promise<number>;
  /** The first `n` rows as plain objects. */
  sample(n: number): Promise<Row[]>;
  toArrow(): Promise<Table>;
  /** A DataFrame of your own: mutating it does not change the dataset. */
  toDanfo(): Promise<DanfoDataFrame>;
  /** Rows of your own: mutating them does not change the dataset. */
  toRows(): Promise<Row[]>;
  /**
   * A value dataset's value, as a copy of your own (a table rejects with a TypeError). `toArrow()`,
   * `toDanfo()` and `toRows()` of a value dataset reject with a `ValueNotTableError`.
   */
  value(): Promise<JsonValue>;
}
