import type { ColumnBatch } from "../column-batch.js";
import type { Column, Row } from "../dataset.js";
import type { FormAdapter } from "../form-adapter.js";
import { inferArrowType, inferTypeName } from "../arrow/infer-arrow-type.js";
import { toPlainJs } from "../arrow/coerce.js";

/** Column names over all rows, in the order they are first seen. */
function columnNames(rows: readonly Row[]): string[] {
  // One row (many small outputs are): its keys, with no set.
  if (rows.length === 1) return Object.keys(rows[0] as Row);
  const seen = new Set<string>();
  for (let r = 0; r < rows.length; r++) for (const key of Object.keys(rows[r] as Row)) seen.add(key);
  return [...seen];
}

export function rowsToBatch(rows: readonly Row[]): ColumnBatch {
  const names = columnNames(rows);
  const columns = names.map((name) => rows.map((row) => row[name] ?? null));
  return { names, types: columns.map(inferArrowType), columns, rowCount: rows.length };
}

export function batchToRows(batch: ColumnBatch): Row[] {
  const rows = new Array<Row>(batch.rowCount);
  for (let r = 0; r < batch.rowCount; r++) {
    const row: Row = {};
    for (let c = 0; c < batch.names.length; c++) row[batch.names[c] as string] = toPlainJs(batch.columns[c]?.[r] ?? null);
    rows[r] = row;
  }
  return rows;
}

/**
 * Rows a schema is inferred from: a snapshot's cost must not grow with the data, so a schema comes from
 * the first rows (a conversion, which reads every row anyway, types from all of them).
 */
export const SCHEMA_INFERENCE_ROWS = 10_000;

/** The schema of rows, inferred from the first {@link SCHEMA_INFERENCE_ROWS}. */
function rowsSchema(rows: readonly Row[]): Column[] {
  const sampled = rows.length > SCHEMA_INFERENCE_ROWS ? rows.slice(0, SCHEMA_INFERENCE_ROWS) : rows;
  return columnNames(sampled).map((name) => ({ name, type: inferTypeName(sampled, name) }));
}

/** Copies of the first `n` rows. */
function rowsSample(rows: readonly Row[], n: number): Row[] {
  const count = Math.min(n, rows.length);
  const sample = new Array<Row>(count);
  for (let r = 0; r < count; r++) sample[r] = Object.assign({}, rows[r]);
  return sample;
}

/** Plain rows: an array of objects. Types come from the values, the same way a conversion would type them. */
export const rowsForm: FormAdapter<"rows"> = {
  form: "rows",
  matches: (value): value is Row[] => Array.isArray(value),
  schema: async (rows): Promise<Column[]> => rowsSchema(rows),
  schemaNow: rowsSchema,
  rowCount: async (rows) => rows.length,
  knownRowCount: (rows) => rows.length,
  sample: async (rows, n) => rowsSample(rows, n),
  sampleNow: rowsSample,
  toBatch: async (rows) => rowsToBatch(rows),
  fromBatch: async (batch) => batchToRows(batch),
  // Object.assign, not spread: a spread copy is several times slower per row on Node 20.
  handOut: (rows) => rows.map((row) => Object.assign({}, row)),
};
