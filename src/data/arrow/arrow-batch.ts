import type { DataType, Table, Vector } from "apache-arrow";
import { Type } from "apache-arrow/enum";
import type { ColumnBatch } from "../column-batch.js";
import { coerceValue } from "./coerce.js";

/** One Arrow value as a plain JS value (Dates for dates and timestamps, arrays for lists, objects for structs). */
export function fromArrowValue(type: DataType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (type.typeId) {
    case Type.Date:
    case Type.Timestamp:
      return new Date(typeof value === "bigint" ? Number(value) : (value as number));
    case Type.List:
    case Type.FixedSizeList: {
      const child = (type.children[0] as { type: DataType }).type;
      return [...(value as Iterable<unknown>)].map((v) => fromArrowValue(child, v));
    }
    case Type.Struct: {
      const row = value as Record<string, unknown>;
      return Object.fromEntries(type.children.map((f: { name: string; type: DataType }) => [f.name, fromArrowValue(f.type, row[f.name])]));
    }
    default:
      return value;
  }
}

function columnValues(vector: Vector, count: number): unknown[] {
  const type = vector.type as DataType;
  if ((type.typeId === Type.Int || type.typeId === Type.Float) && vector.nullCount === 0) {
    return Array.from(vector.toArray() as ArrayLike<unknown>);
  }
  const out = new Array<unknown>(count);
  for (let i = 0; i < count; i++) out[i] = fromArrowValue(type, vector.get(i));
  return out;
}

/** An Arrow Table's columns as plain JS values. */
export function arrowToBatch(table: Table): ColumnBatch {
  const fields = table.schema.fields;
  return {
    names: fields.map((f) => f.name),
    types: fields.map((f) => f.type as DataType),
    columns: fields.map((_, i) => columnValues(table.getChildAt(i) as Vector, table.numRows)),
    rowCount: table.numRows,
  };
}

/**
 * A batch as an Arrow Table, each column built with its declared type. Async: Arrow's builders (most of
 * its modules) are loaded only when a table is built.
 */
export async function batchToArrow(batch: ColumnBatch): Promise<Table> {
  const { Table, vectorFromArray } = await import("apache-arrow");
  const vectors: Record<string, Vector> = {};
  batch.names.forEach((name, i) => {
    const type = batch.types[i] as DataType;
    const values = (batch.columns[i] ?? []).map((v) => coerceValue(type, v));
    vectors[name] = vectorFromArray(values, type) as Vector;
  });
  return new Table(vectors);
}
