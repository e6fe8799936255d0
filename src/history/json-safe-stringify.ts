import { keyedRecord } from "../util/keyed-record.js";
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
  if (isPlainObject(value)) {
    // One walk says both whether the object is JSON-safe and whether its only flaw is undefined properties of
    // its own (an event's `layer`, for a step without one: every node event of most runs).
    const safe = safeButUndefined(value);
    if (safe === SAFE) return JSON.stringify(value);
    if (safe === UNDEFINED_PROPERTIES) return JSON.stringify(nullsForUndefined(value));
  } else if (value !== undefined && plainSafe(value, 0)) return JSON.stringify(value);
  return JSON.stringify(value, replacer) ?? "null";
}

/** A plain object (its prototype Object.prototype), without a toJSON of its own. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype &&
    typeof (value as { toJSON?: unknown }).toJSON !== "function";
}

const SAFE = 0;
const UNDEFINED_PROPERTIES = 1;
const UNSAFE = 2;

/** Whether a plain object is JSON-safe ({@link plainSafe}), safe but for undefined properties of its own, or neither. */
function safeButUndefined(value: Record<string, unknown>): typeof SAFE | typeof UNDEFINED_PROPERTIES | typeof UNSAFE {
  let found: typeof SAFE | typeof UNDEFINED_PROPERTIES = SAFE;
  for (const key in value) {
    const item = value[key];
    if (item === undefined) found = UNDEFINED_PROPERTIES;
    else if (key === "__proto__" || !plainSafe(item, 1)) return UNSAFE;
  }
  return found;
}

/**
 * A copy of a plain object whose only values JSON cannot hold are undefined properties of its own
 * ({@link safeButUndefined}), those as null, as the replacer writes them: plain `JSON.stringify` of the copy
 * is the replacer's text, several times sooner.
 */
function nullsForUndefined(source: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(source);
  const copy: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const item = source[key];
    copy[key] = item === undefined ? null : item;
  }
  return copy;
}

/** A container written entry by entry: an array, or an object written as its own enumerable properties. */
function splittable(value: unknown): value is Record<string, unknown> | unknown[] {
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) return true;
  return !(value instanceof Date || value instanceof Uint8Array || value instanceof Map || value instanceof Set) && typeof (value as { toJSON?: unknown }).toJSON !== "function";
}

/** Containers of more entries than this are written in parts at the last level {@link jsonSafePieces} splits. */
const LIST_ENTRIES = 64;

/** Entries of a long array written by one `jsonSafeStringify` call at the last level: one call an entry cost more than its JSON. */
const ARRAY_BATCH = 256;

/**
 * A long object's JSON, {@link ARRAY_BATCH} entries at a time: each batch copied into a record of its own
 * (keyed by data names: dictionary mode) and written by one call. Its entries keep their order: a batch is a
 * run of the object's keys in order, and an object lists integer-like keys first, ascending, as the batch does.
 */
function* objectBatches(value: Record<string, unknown>, keys: readonly string[]): Generator<string, void, undefined> {
  yield "{";
  for (let i = 0; i < keys.length; i += ARRAY_BATCH) {
    const batch = keyedRecord<unknown>();
    const end = Math.min(keys.length, i + ARRAY_BATCH);
    for (let k = i; k < end; k++) {
      const key = keys[k] as string;
      // A key "__proto__" is a key like any other (assigning it would set the prototype).
      if (key === "__proto__") Object.defineProperty(batch, key, { value: value[key], enumerable: true, writable: true, configurable: true });
      else batch[key] = value[key];
    }
    if (i > 0) yield ",";
    yield jsonSafeStringify(batch).slice(1, -1);
  }
  yield "}";
}

/**
 * {@link jsonSafeStringify} in pieces: their concatenation is the same text. Containers are written entry by
 * entry `depth` levels down, the last of them only when long (more than {@link LIST_ENTRIES} entries,
 * {@link ARRAY_BATCH} at a time); the rest is written whole. So a document of megabytes (a run's lineage) never becomes one string: its pieces
 * are written (and collected) one after another.
 */
export function* jsonSafePieces(value: unknown, depth: number): Generator<string, void, undefined> {
  if (depth <= 0 || !splittable(value)) {
    yield jsonSafeStringify(value);
    return;
  }
  if (Array.isArray(value)) {
    if (depth === 1 && value.length <= LIST_ENTRIES) {
      yield jsonSafeStringify(value);
      return;
    }
    if (depth === 1) {
      yield "[";
      for (let i = 0; i < value.length; i += ARRAY_BATCH) {
        if (i > 0) yield ",";
        yield jsonSafeStringify(value.slice(i, i + ARRAY_BATCH)).slice(1, -1);
      }
      yield "]";
      return;
    }
    yield "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) yield ",";
      yield* jsonSafePieces(value[i], depth - 1);
    }
    yield "]";
    return;
  }
  const keys = Object.keys(value);
  if (depth === 1 && keys.length <= LIST_ENTRIES) {
    yield jsonSafeStringify(value);
    return;
  }
  if (depth === 1) {
    yield* objectBatches(value, keys);
    return;
  }
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    yield `${i === 0 ? "{" : ","}${JSON.stringify(key)}:`;
    yield* jsonSafePieces(value[key], depth - 1);
  }
  yield keys.length === 0 ? "{}" : "}";
}
