import { toJsonSafe } from "../util/json-safe.js";

function replacer(this: unknown, _key: string, value: unknown): unknown {
  switch (typeof value) {
    case "undefined":
      return null;
    case "number":
      return Number.isFinite(value) ? value : String(value);
    case "bigint":
    case "function":
    case "symbol":
      return toJsonSafe(value);
    case "object":
      return value instanceof Uint8Array || value instanceof Map || value instanceof Set ? toJsonSafe(value) : value;
    default:
      return value;
  }
}

/**
 * `JSON.stringify(toJsonSafe(value))`, without building the JSON-safe copy first: the history recorder
 * serializes every event of a run on the hot path, and the copy would cost it about three quarters of the time.
 */
export function jsonSafeStringify(value: unknown): string {
  return JSON.stringify(value, replacer) ?? "null";
}
