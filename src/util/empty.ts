/**
 * Shared, frozen empties, for the fields most steps leave empty (tags, checks, declared columns, attempt
 * logs before an attempt ends). A run keeps a record of every step until it ends; one empty array or
 * object per field per step is memory the garbage collector copies for nothing in a many-step run.
 * Never mutated: code that adds to such a field replaces it with a new array.
 */
export const EMPTY_ARRAY: readonly never[] = Object.freeze([]);

/** A shared, frozen `{}` (see {@link EMPTY_ARRAY}). */
export const EMPTY_RECORD: Readonly<Record<string, never>> = Object.freeze({});
