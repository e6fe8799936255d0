/**
 * A value made JSON-safe, deeply: bigints beyond 2^53 become decimal strings (others numbers), Dates ISO
 * strings, NaN and infinities the strings "NaN", "Infinity", "-Infinity", bytes base64 strings, Maps and
 * Sets objects and arrays, undefined null. `JSON.stringify` of the result never throws or loses a value silently.
 */
export function toJsonSafe(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "bigint":
      return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    case "number":
      return Number.isFinite(value) ? value : String(value);
    case "string":
    case "boolean":
      return value;
    case "object":
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
      if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
      if (Array.isArray(value)) return value.map(toJsonSafe);
      if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), toJsonSafe(v)]));
      if (value instanceof Set) return [...value].map(toJsonSafe);
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSafe(v)]));
    default:
      return String(value);
  }
}
