import { EdgeSet } from "./edge-set.js";

/**
 * What the lineage walker knows about one column of an operator's output: its edges, or why it cannot
 * say (`unknown`, then no lineage is reported for anything built on it). `unpivot` marks the list an
 * UNPIVOT builds and the value column unnesting it, whose values are copied unchanged (rule 3).
 */
export interface ColumnValue {
  readonly edges: EdgeSet;
  readonly unknown?: string;
  readonly unpivot?: "list" | "value";
  /**
   * A correlated column as a decorrelated subquery sees it (DuckDB's DELIM_GET): the grouping and join
   * DuckDB adds on it restate the correlation, which the subquery's own WHERE already reports.
   */
  readonly correlated?: true;
}

export const NO_LINEAGE: ColumnValue = { edges: EdgeSet.empty() };

export function unknownValue(reason: string): ColumnValue {
  return { edges: EdgeSet.empty(), unknown: reason };
}

/** The first unknown reason among `values`, if any. */
export function firstUnknown(values: readonly ColumnValue[]): string | undefined {
  return values.find((v) => v.unknown !== undefined)?.unknown;
}

/** Values combined: union of edges, unknown if any is. */
export function combine(values: readonly ColumnValue[], map: (edges: EdgeSet) => EdgeSet = (e) => e): ColumnValue {
  const unknown = firstUnknown(values);
  if (unknown !== undefined) return unknownValue(unknown);
  return { edges: map(EdgeSet.union(values.map((v) => v.edges))) };
}
