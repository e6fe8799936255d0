import type { DanfoDataFrame, DanfoModule } from "../../data/forms/danfo-frame.js";
import type { ColumnBatch } from "../../data/column-batch.js";
import type { Column, Row } from "../../data/dataset.js";
import type { FormAdapter } from "../../data/form-adapter.js";
import { inferArrowType } from "../../data/arrow/infer-arrow-type.js";
import { schemaTypeName } from "../../data/arrow/schema-type-name.js";
import { toPlainJs } from "../../data/arrow/coerce.js";
import { SCHEMA_INFERENCE_ROWS } from "../../data/forms/rows-form.js";

/**
 * The members of a danfo DataFrame this adapter uses, whatever type a project registers for DataFrames
 * (linea's declarations do not depend on danfojs-node's). `$getColumnData` returns the raw array (no
 * Series, no index copy); it is absent in other danfo versions.
 */
interface Frame {
  readonly columns: string[];
  readonly shape: number[];
  head(rows: number): Frame;
  copy(): DanfoDataFrame;
  column(name: string): { readonly values: unknown[] };
  $getColumnData?: (column: string, returnSeries: boolean) => unknown;
}

const frame = (df: DanfoDataFrame): Frame => df as unknown as Frame;

/** True for a danfo DataFrame, without loading danfo to ask `instanceof`. */
export function isDanfoFrame(value: unknown): value is DanfoDataFrame {
  if (value === null || typeof value !== "object") return false;
  const v = value as { constructor?: { name?: string }; $isSeries?: unknown };
  return v.constructor?.name === "DataFrame" && "$data" in v && "$columns" in v && v.$isSeries === false;
}

/** A column's values with danfo's missing markers (NaN, undefined) as null. */
function columnValues(df: Frame, name: string): unknown[] {
  // Building a Series per column (df.column) costs more than the conversion itself on large frames.
  const raw = df.$getColumnData;
  const values = (typeof raw === "function" ? raw.call(df, name, false) : df.column(name).values) as unknown[];
  return values.map((v) => (v === undefined || (typeof v === "number" && Number.isNaN(v)) ? null : v));
}

function danfoToBatch(df: Frame): ColumnBatch {
  const names = df.columns.map(String);
  const columns = names.map((name) => columnValues(df, name));
  return { names, types: columns.map(inferArrowType), columns, rowCount: df.shape[0] ?? 0 };
}

/**
 * danfo.js DataFrames. Their `dtypes` labels are unreliable (dates show as float32), so schemas come from
 * the values, typed the way a conversion types them. danfo has no distinct NaN and missing: both read as null.
 */
export const danfoForm: FormAdapter<"danfo"> = {
  form: "danfo",
  matches: isDanfoFrame,
  schema: async (value): Promise<Column[]> => {
    // Like rows, typed from the first rows only: a snapshot's cost must not grow with the data.
    const df = frame(value);
    const head = (df.shape[0] ?? 0) > SCHEMA_INFERENCE_ROWS ? df.head(SCHEMA_INFERENCE_ROWS) : df;
    const batch = danfoToBatch(head);
    return batch.names.map((name, i) => ({ name, type: schemaTypeName(batch.types[i] as never) }));
  },
  rowCount: async (df) => frame(df).shape[0] ?? 0,
  knownRowCount: (df) => frame(df).shape[0] ?? 0,
  sample: async (value, n) => {
    const df = frame(value);
    const count = Math.min(n, df.shape[0] ?? 0);
    const names = df.columns.map(String);
    const columns = names.map((name) => columnValues(df, name));
    return Array.from({ length: count }, (_, r) => Object.fromEntries(names.map((name, c) => [name, columns[c]?.[r] ?? null])) as Row);
  },
  toBatch: async (df) => danfoToBatch(frame(df)),
  fromBatch: async (batch, runtime) => {
    const dfd = (await runtime.session("danfo")) as DanfoModule;
    const data: Record<string, unknown[]> = {};
    batch.names.forEach((name, i) => (data[name] = (batch.columns[i] ?? []).map(toPlainJs).map((v) => (typeof v === "bigint" ? Number(v) : v))));
    return new dfd.DataFrame(data, { columns: [...batch.names] });
  },
  handOut: (df) => frame(df).copy(),
};
