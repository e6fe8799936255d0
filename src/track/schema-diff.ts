import type { Column } from "../data/dataset.js";
import { EMPTY_ARRAY } from "../util/empty.js";

/** How a schema changed: columns added, removed, and whose type changed. */
export interface SchemaDiff {
  readonly added: readonly Column[];
  readonly removed: readonly Column[];
  readonly changed: ReadonlyArray<{ readonly column: string; readonly before: string; readonly after: string }>;
}

/** The diff of two schemas with the same columns, one frozen object every such diff shares (as most steps' are). */
const NO_CHANGE: SchemaDiff = Object.freeze({ added: EMPTY_ARRAY, removed: EMPTY_ARRAY, changed: EMPTY_ARRAY });

/** True when both schemas have the same columns, in the same order, of the same types. */
function sameColumns(before: readonly Column[], after: readonly Column[]): boolean {
  if (before === after) return true;
  if (before.length !== after.length) return false;
  for (let i = 0; i < before.length; i++) {
    const a = before[i] as Column;
    const b = after[i] as Column;
    if (a.name !== b.name || a.type !== b.type) return false;
  }
  return true;
}

/** The difference from `before` to `after`, columns matched by name; each list in `after`'s (or `before`'s) order. */
export function diffSchemas(before: readonly Column[], after: readonly Column[]): SchemaDiff {
  if (sameColumns(before, after)) return NO_CHANGE;
  const old = new Map(before.map((c) => [c.name, c.type]));
  const now = new Map(after.map((c) => [c.name, c.type]));
  return {
    added: after.filter((c) => !old.has(c.name)),
    removed: before.filter((c) => !now.has(c.name)),
    changed: after
      .filter((c) => old.has(c.name) && old.get(c.name) !== c.type)
      .map((c) => ({ column: c.name, before: old.get(c.name) as string, after: c.type })),
  };
}

/** True when nothing changed. */
export function isEmptyDiff(diff: SchemaDiff): boolean {
  return diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0;
}
