/**
 * A canonical JSON encoding for hashing: object keys sorted, no whitespace, bigints and dates tagged so
 * they never collide with strings. Throws on values that have no stable encoding (functions, symbols,
 * class instances other than Date), so that an unhashable param can never share a key with another.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? JSON.stringify(value) : JSON.stringify(`#number:${String(value)}`);
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      return JSON.stringify(`#bigint:${value.toString()}`);
    case "object": {
      if (value instanceof Date) return JSON.stringify(`#date:${value.toISOString()}`);
      if (Array.isArray(value)) return stringsOnly(value) ? JSON.stringify(value) : `[${value.map(canonicalJson).join(",")}]`;
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        throw new TypeError(`cannot encode a ${(value as object).constructor?.name ?? "class instance"} canonically`);
      }
      const entries = Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
      return `{${entries.join(",")}}`;
    }
    default:
      throw new TypeError(`cannot encode a ${typeof value} canonically`);
  }
}

/** True for an array of strings only (no holes): JSON.stringify encodes it canonically, at once (outputs, most lists of names). */
function stringsOnly(list: readonly unknown[]): boolean {
  for (let i = 0; i < list.length; i++) if (typeof list[i] !== "string") return false;
  return true;
}
