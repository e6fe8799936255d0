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
 * True when plain `JSON.stringify` writes `value` exactly as the replacer would: no undefined property, no
 * non-finite number, bigint, function, symbol, bytes, Map or Set anywhere (Dates are fine: both write their
 * `toJSON`). A walk in JavaScript is several times cheaper than a replacer, which V8 calls back for every value.
 */
function plainSafe(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value);
    case "object": {
      if (value === null) return true;
      if (depth > 64) return false; // deep (or cyclic): the replacer's way says what is wrong
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          if (item !== undefined && !plainSafe(item, depth + 1)) return false;
        }
        return true;
      }
      if (value instanceof Date) return true;
      if (value instanceof Uint8Array || value instanceof Map || value instanceof Set || typeof (value as { toJSON?: unknown }).toJSON === "function") return false;
      for (const key in value) {
        if (!plainSafe((value as Record<string, unknown>)[key], depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/**
 * `JSON.stringify(toJsonSafe(value))`, without building the JSON-safe copy first: the history recorder
 * serializes every event of a run on the hot path, and the copy would cost it about three quarters of the
 * time. A value that is JSON-safe already (nearly all) is written by plain `JSON.stringify`.
 */
export function jsonSafeStringify(value: unknown): string {
  if (value !== undefined && plainSafe(value, 0)) return JSON.stringify(value);
  return JSON.stringify(value, replacer) ?? "null";
}
