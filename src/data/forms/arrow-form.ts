import type { DataType, Table } from "apache-arrow";
import type { Column } from "../dataset.js";
import type { FormAdapter } from "../form-adapter.js";
import { arrowToBatch, batchToArrow } from "../arrow/arrow-batch.js";
import { schemaTypeName } from "../arrow/schema-type-name.js";
import { batchToRows } from "./rows-form.js";

/**
 * True for an apache-arrow Table, also one from another copy of the library: told by its shape, so that
 * asking does not load Arrow.
 */
export function isArrowTable(value: unknown): value is Table {
  const v = value as { numRows?: unknown; schema?: { fields?: unknown }; batches?: unknown } | null;
  return typeof v === "object" && v !== null && typeof v.numRows === "number" && Array.isArray(v.schema?.fields) && Array.isArray(v.batches);
}

/** Apache Arrow Tables: schema and counts straight from the table; immutable, so handed out as is. */
export const arrowForm: FormAdapter<"arrow"> = {
  form: "arrow",
  matches: isArrowTable,
  schema: async (table): Promise<Column[]> =>
    table.schema.fields.map((f) => ({ name: f.name, type: schemaTypeName(f.type as DataType) })),
  rowCount: async (table) => table.numRows,
  knownRowCount: (table) => table.numRows,
  sample: async (table, n) => batchToRows(arrowToBatch(table.slice(0, n))),
  toBatch: async (table) => arrowToBatch(table),
  fromBatch: async (batch) => batchToArrow(batch),
  handOut: (table) => table,
};
