import { toJsonSafe } from "../util/json-safe.js";
import type { Column, Row } from "./dataset.js";

/** Sample rows as JSON: DATE columns as `YYYY-MM-DD` (a Date in JS), everything else through toJsonSafe. */
export function sampleToJson(s: { readonly schema: readonly Column[]; readonly sample: readonly Row[] }): Array<Record<string, unknown>> {
  // Indexed loops and one object per row (no entries arrays): every snapshot and stored output of a run goes through here.
  let dates: Set<string> | undefined;
  for (let c = 0; c < s.schema.length; c++) {
    const column = s.schema[c] as Column;
    if (column.type === "DATE") (dates ??= new Set()).add(column.name);
  }
  const rows = s.sample;
  const out = new Array<Record<string, unknown>>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as Row;
    const copy: Record<string, unknown> = {};
    const keys = Object.keys(row);
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k] as string;
      const v = row[key];
      const value = dates?.has(key) === true && v instanceof Date ? v.toISOString().slice(0, 10) : toJsonSafe(v);
      // A column named "__proto__" is a key like any other (assigning it would set the prototype).
      if (key === "__proto__") Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
      else copy[key] = value;
    }
    out[r] = copy;
  }
  return out;
}
