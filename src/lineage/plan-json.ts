/**
 * The parts of DuckDB's serialized logical plan (`json_serialize_plan`) that lineage reads. The format is
 * internal to DuckDB: test/engines/duckdb/plan-format.test.ts pins what is relied on here, so an upgrade that
 * changes it fails there first.
 */
export interface PlanNode {
  readonly type: string;
  readonly children?: readonly PlanNode[];
  readonly [key: string]: unknown;
}

/** A bound expression; after DuckDB's column binding resolver, a column is a `BOUND_REF` by position. */
export interface PlanExpression {
  readonly expression_class: string;
  readonly type: string;
  readonly [key: string]: unknown;
}

/** DuckDB's "no value" for unsigned 64-bit fields such as `query_location`. */
export const INVALID_INDEX = 2 ** 63;

export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A field of a node or expression that should hold an expression (undefined when absent). */
export function expressionAt(node: Readonly<Record<string, unknown>>, key: string): PlanExpression | undefined {
  const value = node[key];
  return isRecord(value) && typeof value.expression_class === "string" ? (value as PlanExpression) : undefined;
}

/** A field that should hold a list of expressions (empty when absent). */
export function expressionsAt(node: Readonly<Record<string, unknown>>, key: string): PlanExpression[] {
  const value = node[key];
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is PlanExpression => isRecord(v) && typeof v.expression_class === "string");
}

/** A field that should hold a list of numbers (empty when absent). */
export function numbersAt(node: Readonly<Record<string, unknown>>, key: string): number[] {
  const value = node[key];
  return Array.isArray(value) ? value.filter((v): v is number => typeof v === "number") : [];
}

/** The ORDER BY expressions of a node field holding `[{ type, null_order, expression }]`. */
export function orderExpressions(node: Readonly<Record<string, unknown>>, key: string): PlanExpression[] {
  const value = node[key];
  if (!Array.isArray(value)) return [];
  return value.flatMap((o) => (isRecord(o) ? [expressionAt(o, "expression")].filter((e): e is PlanExpression => e !== undefined) : []));
}
