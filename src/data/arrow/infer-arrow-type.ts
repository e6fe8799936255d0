import type { DataType } from "apache-arrow";
import { Field } from "apache-arrow/schema";
import { Binary, Bool, DateDay, Float64, Int64, List, TimestampMillisecond, Utf8 } from "apache-arrow/type";

const DAY_MS = 86_400_000;

/**
 * The Arrow type that holds every value of a column of plain JS values: booleans to Bool, safe integers
 * and bigints to Int64, other numbers to Float64, strings to Utf8, Dates to DateDay when all fall on UTC
 * midnight (what a DATE becomes in JS) else to Timestamp, arrays to List, bytes to Binary. Anything else,
 * mixed kinds included, becomes Utf8 (objects as JSON); an all-null column is Utf8.
 */
export function inferArrowType(values: readonly unknown[]): DataType {
  let nonNull = 0, bool = 0, int = 0, float = 0, big = 0, str = 0, date = 0, midnight = 0, list = 0, bytes = 0;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    nonNull++;
    switch (typeof v) {
      case "boolean": bool++; break;
      case "number": Number.isSafeInteger(v) ? int++ : float++; break;
      case "bigint": big++; break;
      case "string": str++; break;
      case "object":
        if (v instanceof Date) {
          date++;
          if (v.getTime() % DAY_MS === 0) midnight++;
        } else if (Array.isArray(v)) list++;
        else if (v instanceof Uint8Array) bytes++;
        break;
      default: break;
    }
  }
  if (nonNull === 0) return new Utf8();
  if (bool === nonNull) return new Bool();
  if (int + big === nonNull) return new Int64();
  if (int + float + big === nonNull) return new Float64();
  if (str === nonNull) return new Utf8();
  if (date === nonNull) return midnight === date ? new DateDay() : new TimestampMillisecond();
  if (bytes === nonNull) return new Binary();
  if (list === nonNull) {
    const items = (values.filter((v) => Array.isArray(v)) as unknown[][]).flat();
    return new List(new Field("item", inferArrowType(items), true));
  }
  return new Utf8();
}
