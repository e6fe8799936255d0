import { toJsonSafe } from "../util/json-safe.js";
import type { Column, Row } from "./dataset.js";

/** Sample rows as JSON: DATE columns as `YYYY-MM-DD` (a Date in JS), everything else through toJsonSafe. */
export function sampleToJson(s: { readonly schema: readonly Column[]; readonly sample: readonly Row[] }): Array<Record<string, unknown>> {
  const dates = new Set(s.schema.filter((c) => c.type === "DATE").map((c) => c.name));
  return s.sample.map((row) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, dates.has(k) && v instanceof Date ? v.toISOString().slice(0, 10) : toJsonSafe(v)])),
  );
}
