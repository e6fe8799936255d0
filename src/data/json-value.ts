import { isPlainObject } from "../util/plain-object.js";

/** A plain JSON value: what a value dataset holds. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The JSON types a value dataset can have, as the tracker reports them. */
export const JSON_TYPES = ["null", "boolean", "number", "string", "array", "object"] as const;
export type JsonType = (typeof JSON_TYPES)[number];

/** Where a value stops being plain JSON, and why. */
export interface JsonProblem {
  /** `$`, `$.key`, `$[2].key`, ... */
  readonly path: string;
  readonly reason: string;
}

function describe(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "number") return String(value);
  if (typeof value === "bigint") return "a bigint";
  if (typeof value === "function") return "a function";
  if (typeof value === "symbol") return "a symbol";
  const name = (value as { constructor?: { name?: string } }).constructor?.name;
  return name ? `a ${name}` : "an object without a prototype";
}

const keyPath = (path: string, key: string): string => (/^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);

/**
 * The first place where `value` is not plain JSON (it would not read back as it is): undefined, NaN or an
 * infinity, a bigint, a function, a symbol, an instance of a class (a Date, a Map, ...), or a circular
 * reference. Undefined when the whole value is plain JSON.
 */
export function findJsonProblem(value: unknown): JsonProblem | undefined {
  const open = new Set<object>();
  const walk = (v: unknown, path: string): JsonProblem | undefined => {
    if (v === null || typeof v === "string" || typeof v === "boolean") return undefined;
    if (typeof v === "number") return Number.isFinite(v) ? undefined : { path, reason: `${describe(v)} is not a JSON number` };
    if (typeof v !== "object") return { path, reason: `${describe(v)} is not a JSON value` };
    if (open.has(v)) return { path, reason: "a circular reference" };
    if (!Array.isArray(v) && !isPlainObject(v)) return { path, reason: `${describe(v)} is not a JSON value (convert it: a Date to an ISO string, a Map to an object)` };
    open.add(v);
    try {
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
          const found = walk(v[i], `${path}[${i}]`);
          if (found) return found;
        }
      } else {
        for (const [key, item] of Object.entries(v)) {
          const found = walk(item, keyPath(path, key));
          if (found) return found;
        }
      }
      return undefined;
    } finally {
      open.delete(v);
    }
  };
  return walk(value, "$");
}

/** The JSON type of a plain JSON value. */
export function jsonTypeOf(value: JsonValue): JsonType {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value as "boolean" | "number" | "string" | "object";
}

/**
 * The value as compact JSON cut to `maxChars` (with `…`); keys named in `redact` (lower case) have their
 * values masked at any depth.
 */
export function previewJson(value: JsonValue, maxChars: number, redact: ReadonlySet<string> = new Set(), mask = "[redacted]"): string {
  const text = JSON.stringify(value, redact.size === 0 ? undefined : (key, v: unknown) => (key !== "" && redact.has(key.toLowerCase()) && v !== null ? mask : v));
  const chars = Array.from(text);
  return chars.length <= maxChars ? text : `${chars.slice(0, Math.max(0, maxChars - 1)).join("")}…`;
}

/** A deep copy a step may mutate. */
export function copyJson<T extends JsonValue>(value: T): T {
  return value === null || typeof value !== "object" ? value : structuredClone(value);
}
