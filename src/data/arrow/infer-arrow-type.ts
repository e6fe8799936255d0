import type { DataType } from "apache-arrow";
import { Field } from "apache-arrow/schema";
import { Binary, Bool, DateDay, Float64, Int64, List, TimestampMillisecond, Utf8 } from "apache-arrow/type";

const DAY_MS = 86_400_000;

/** What a column of plain JS values holds, as {@link inferArrowType} and {@link inferTypeName} tell it. */
type ValueKind = "text" | "bool" | "int" | "float" | "date" | "timestamp" | "bytes" | "list";

/** Counts the kinds of a column's values, one at a time (no column array is needed to tell its kind). */
class KindCounter {
  private nonNull = 0;
  private bool = 0;
  private int = 0;
  private float = 0;
  private big = 0;
  private str = 0;
  private date = 0;
  private midnight = 0;
  private list = 0;
  private bytes = 0;

  add(v: unknown): void {
    if (v === null || v === undefined) return;
    this.nonNull++;
    switch (typeof v) {
      case "boolean": this.bool++; break;
      case "number": if (Number.isSafeInteger(v)) this.int++; else this.float++; break;
      case "bigint": this.big++; break;
      case "string": this.str++; break;
      case "object":
        if (v instanceof Date) {
          this.date++;
          if (v.getTime() % DAY_MS === 0) this.midnight++;
        } else if (Array.isArray(v)) this.list++;
        else if (v instanceof Uint8Array) this.bytes++;
        break;
      default: break;
    }
  }

  kind(): ValueKind {
    const n = this.nonNull;
    if (n === 0) return "text";
    if (this.bool === n) return "bool";
    if (this.int + this.big === n) return "int";
    if (this.int + this.float + this.big === n) return "float";
    if (this.str === n) return "text";
    if (this.date === n) return this.midnight === this.date ? "date" : "timestamp";
    if (this.bytes === n) return "bytes";
    if (this.list === n) return "list";
    return "text";
  }
}

function kindOf(values: readonly unknown[]): ValueKind {
  const counter = new KindCounter();
  for (const v of values) counter.add(v);
  return counter.kind();
}

/** The values of a list column's lists, flattened: what its item type is inferred from. */
function listItems(values: readonly unknown[]): unknown[] {
  return (values.filter((v) => Array.isArray(v)) as unknown[][]).flat();
}

/**
 * The Arrow type that holds every value of a column of plain JS values: booleans to Bool, safe integers
 * and bigints to Int64, other numbers to Float64, strings to Utf8, Dates to DateDay when all fall on UTC
 * midnight (what a DATE becomes in JS) else to Timestamp, arrays to List, bytes to Binary. Anything else,
 * mixed kinds included, becomes Utf8 (objects as JSON); an all-null column is Utf8.
 */
export function inferArrowType(values: readonly unknown[]): DataType {
  switch (kindOf(values)) {
    case "bool": return new Bool();
    case "int": return new Int64();
    case "float": return new Float64();
    case "date": return new DateDay();
    case "timestamp": return new TimestampMillisecond();
    case "bytes": return new Binary();
    case "list": return new List(new Field("item", inferArrowType(listItems(values)), true));
    default: return new Utf8();
  }
}

/** The schema name of a kind (what `schemaTypeName` says of the Arrow type {@link inferArrowType} gives it). */
const KIND_NAMES: Readonly<Record<Exclude<ValueKind, "list">, string>> = {
  text: "VARCHAR", bool: "BOOLEAN", int: "BIGINT", float: "DOUBLE", date: "DATE", timestamp: "TIMESTAMP", bytes: "BLOB",
};

/**
 * The schema type name of a column of row objects (`rows[i][name]`, a missing value being null): the same
 * as `schemaTypeName(inferArrowType(values))`, without building the column or an Arrow type.
 */
export function inferTypeName(rows: readonly Readonly<Record<string, unknown>>[], name: string): string {
  const counter = new KindCounter();
  for (const row of rows) counter.add(row[name]);
  const kind = counter.kind();
  if (kind !== "list") return KIND_NAMES[kind];
  return `${valuesTypeName(listItems(rows.map((row) => row[name])))}[]`;
}

/** {@link inferTypeName} of plain values. */
function valuesTypeName(values: readonly unknown[]): string {
  const kind = kindOf(values);
  return kind === "list" ? `${valuesTypeName(listItems(values))}[]` : KIND_NAMES[kind];
}
