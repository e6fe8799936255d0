import type { DataType } from "apache-arrow";
import { Type } from "apache-arrow/enum";

/** A value as plain JS for users: a bigint that fits a double exactly becomes a number. */
export function toPlainJs(value: unknown): unknown {
  if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : value;
  return value;
}

function toJsonText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)) ?? String(value);
}

/** A JS value coerced to what an Arrow builder (or DuckDB, through the same types) accepts for `type`. */
export function coerceValue(type: DataType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (type.typeId) {
    case Type.Int:
      if ((type as unknown as { bitWidth: number }).bitWidth === 64) {
        return typeof value === "bigint" ? value : BigInt(Math.trunc(Number(value)));
      }
      return Number(value);
    case Type.Float:
      return Number(value);
    case Type.Bool:
      return Boolean(value);
    case Type.Utf8:
    case Type.LargeUtf8:
      return toJsonText(value);
    case Type.Date:
    case Type.Timestamp:
      return value instanceof Date ? value : new Date(typeof value === "bigint" ? Number(value) : (value as number | string));
    case Type.List:
      return Array.isArray(value) ? value.map((v) => coerceValue((type.children[0] as { type: DataType }).type, v)) : null;
    default:
      return value;
  }
}
