import { isPlainObject } from "../../util/plain-object.js";

/** Where in a rows dataset a value linea cannot store and read back faithfully sits, and why. */
export interface UnstorableValue {
  readonly row: number;
  readonly column: string;
  readonly reason: string;
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

function kindOf(value: object): string {
  const name = (value as { constructor?: { name?: string } }).constructor?.name;
  return name ? `a ${name}` : "an object without a prototype";
}

/**
 * Why `value` cannot be stored and read back as it is (undefined when it can): a function, a symbol, a
 * bigint outside 64 bits, an invalid Date, an instance of a class other than Date and Uint8Array (a Map
 * or a Set would be stored as `{}`), or a circular reference. Nested arrays and plain objects are walked.
 */
function whyUnstorable(value: unknown, path: string, open: Set<object>): string | undefined {
  switch (typeof value) {
    case "function": return `${path} is a function`;
    case "symbol": return `${path} is a symbol`;
    case "bigint": return value > INT64_MAX || value < INT64_MIN ? `${path} is a bigint outside 64 bits (${value})` : undefined;
    case "object": break;
    default: return undefined;
  }
  if (value === null || value instanceof Uint8Array) return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? `${path} is an invalid Date` : undefined;
  const array = Array.isArray(value);
  if (!array && !isPlainObject(value)) return `${path} is ${kindOf(value)}, which has no column type (use plain objects, arrays, Dates, numbers, strings, booleans)`;
  if (open.has(value)) return `${path} refers back to itself (a circular reference)`;
  open.add(value);
  try {
    if (array) {
      for (let i = 0; i < value.length; i++) {
        const why = whyUnstorable(value[i], `${path}[${i}]`, open);
        if (why !== undefined) return why;
      }
    } else {
      for (const [key, item] of Object.entries(value)) {
        const why = whyUnstorable(item, `${path}.${key}`, open);
        if (why !== undefined) return why;
      }
    }
    return undefined;
  } finally {
    open.delete(value);
  }
}

/** The first value of `rows` that linea cannot store and read back faithfully, or undefined. */
export function findUnstorableValue(rows: readonly object[]): UnstorableValue | undefined {
  // Made at the first value that is not a scalar: most rows hold only scalars.
  let open: Set<object> | undefined;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as Record<string, unknown>;
    for (const column in row) {
      const value = row[column];
      // The common case, a scalar, costs one typeof.
      if (value === null || (typeof value !== "object" && typeof value !== "function" && typeof value !== "symbol" && typeof value !== "bigint")) continue;
      open ??= new Set<object>();
      open.add(row);
      const why = whyUnstorable(value, "the value", open);
      open.delete(row);
      if (why !== undefined) return { row: r, column, reason: why };
    }
  }
  return undefined;
}
