import { combine, NO_LINEAGE, unknownValue, type ColumnValue } from "./column-value.js";
import { EdgeSet } from "./edge-set.js";
import { expressionAt, expressionsAt, INVALID_INDEX, isRecord, orderExpressions, type PlanExpression } from "./plan-json.js";

/** Window functions that number or rank rows: no DIRECT edge (rule 7). */
const RANKING_WINDOWS = new Set([
  "WINDOW_ROW_NUMBER", "WINDOW_RANK", "WINDOW_RANK_DENSE", "WINDOW_NTILE", "WINDOW_PERCENT_RANK", "WINDOW_CUME_DIST",
]);

/** What an expression is evaluated against: its operator's input columns, and the step's SQL text. */
export interface ExpressionScope {
  readonly columns: readonly ColumnValue[];
  readonly sql: string;
}

/**
 * True when a cast was written in the SQL (`CAST(`, `TRY_CAST(`, `::`): DuckDB gives an explicit cast the
 * position of its own text, an implicit one that of the expression it converts.
 */
function isExplicitCast(expression: PlanExpression, sql: string): boolean {
  if (expression.try_cast === true) return true;
  const at = expression.query_location;
  if (typeof at !== "number" || at >= INVALID_INDEX || at >= sql.length) return false;
  const text = sql.slice(at);
  return text.startsWith("::") || /^(try_)?cast\s*\(/i.test(text);
}

/** The lineage of one bound expression over `scope.columns`. */
export function expressionLineage(expression: PlanExpression, scope: ExpressionScope): ColumnValue {
  const of = (e: PlanExpression): ColumnValue => expressionLineage(e, scope);
  const all = (list: readonly PlanExpression[]): ColumnValue[] => list.map(of);
  const transformed = (list: readonly PlanExpression[]): ColumnValue => combine(all(list), (e) => e.through("TRANSFORMATION"));
  const conditional = (list: readonly PlanExpression[]): ColumnValue => combine(all(list), (e) => e.asIndirect("CONDITIONAL"));

  switch (expression.expression_class) {
    case "BOUND_REF": {
      const index = expression.index;
      const column = typeof index === "number" ? scope.columns[index] : undefined;
      return column ?? unknownValue(`a column reference points past its operator's input (${String(index)})`);
    }
    case "BOUND_CONSTANT":
    case "BOUND_DEFAULT":
    case "BOUND_PARAMETER":
    case "BOUND_LAMBDA_REF":
      return NO_LINEAGE;
    case "BOUND_CAST": {
      const child = expressionAt(expression, "child");
      if (child === undefined) return unknownValue("a cast without an operand");
      const value = of(child);
      if (!isExplicitCast(expression, scope.sql)) return value;
      return combine([value], (e) => e.through("TRANSFORMATION"));
    }
    case "BOUND_COMPARISON":
      return transformed([expressionAt(expression, "left"), expressionAt(expression, "right")].filter(defined));
    case "BOUND_BETWEEN":
      return transformed(["input", "lower", "upper"].map((k) => expressionAt(expression, k)).filter(defined));
    case "BOUND_CONJUNCTION":
      return transformed(expressionsAt(expression, "children"));
    case "BOUND_OPERATOR": {
      const children = expressionsAt(expression, "children");
      if (expression.type === "OPERATOR_COALESCE") {
        // Each argument may be the value (IDENTITY for a bare column) and decides whether the next is used.
        return combine([combine(all(children)), conditional(children)]);
      }
      return transformed(children);
    }
    case "BOUND_CASE": {
      const checks = Array.isArray(expression.case_checks) ? expression.case_checks.filter(isRecord) : [];
      const whens = checks.map((c) => expressionAt(c, "when_expr")).filter(defined);
      const thens = checks.map((c) => expressionAt(c, "then_expr")).filter(defined);
      const otherwise = expressionAt(expression, "else_expr");
      return combine([...all(thens), ...(otherwise ? [of(otherwise)] : []), conditional(whens)]);
    }
    case "BOUND_FUNCTION": {
      const children = expressionsAt(expression, "children");
      if (expression.name === "unpivot_list") {
        // The list UNPIVOT builds of the columns it turns into rows: the values are copied, not transformed.
        const value = combine(all(children));
        return value.unknown === undefined ? { ...value, unpivot: "list" } : value;
      }
      return transformed(children);
    }
    case "BOUND_LAMBDA":
      // Lambda parameters are not columns; captured columns are arguments of the function holding it.
      return transformed([expressionAt(expression, "lambda_expr"), ...expressionsAt(expression, "captures")].filter(defined));
    case "BOUND_UNNEST": {
      const child = expressionAt(expression, "child");
      if (child === undefined) return unknownValue("an UNNEST without an operand");
      const value = of(child);
      if (value.unpivot === "list") return { edges: value.edges, unpivot: "value" };
      return combine([value], (e) => e.through("TRANSFORMATION"));
    }
    case "BOUND_AGGREGATE":
      return aggregateLineage(expression, of);
    case "BOUND_WINDOW":
      return windowLineage(expression, of);
    default:
      return unknownValue(`DuckDB expression ${expression.expression_class} (${expression.type}) is not followed by linea's lineage`);
  }
}

function defined<T>(value: T | undefined): value is T {
  return value !== undefined;
}

/** An aggregate: its arguments are AGGREGATION, its FILTER (WHERE ...) CONDITIONAL; `count(*)` has none. */
function aggregateLineage(expression: PlanExpression, of: (e: PlanExpression) => ColumnValue): ColumnValue {
  const args = expressionsAt(expression, "children").map(of);
  const filter = expressionAt(expression, "filter");
  return combine([
    combine(args, (e) => e.through("AGGREGATION")),
    ...(filter ? [combine([of(filter)], (e) => e.asIndirect("CONDITIONAL"))] : []),
  ]);
}

/**
 * A window function: an aggregate over a window is AGGREGATION, a value function (lag, first_value, ...)
 * TRANSFORMATION, a ranking one has no DIRECT edge; PARTITION BY and ORDER BY columns are WINDOW (rule 10).
 */
function windowLineage(expression: PlanExpression, of: (e: PlanExpression) => ColumnValue): ColumnValue {
  const args = [...expressionsAt(expression, "children"), ...["default_expr"].map((k) => expressionAt(expression, k)).filter(defined)];
  const argValue = RANKING_WINDOWS.has(expression.type)
    ? combine(args.map(of), (e) => e.indirectOnly())
    : combine(args.map(of), (e) => e.through(expression.type === "WINDOW_AGGREGATE" ? "AGGREGATION" : "TRANSFORMATION"));
  const shape = [
    ...expressionsAt(expression, "partitions"),
    ...orderExpressions(expression, "orders"),
    ...["start_expr", "end_expr", "offset_expr"].map((k) => expressionAt(expression, k)).filter(defined),
  ];
  const filter = expressionAt(expression, "filter_expr");
  return combine([
    argValue,
    combine(shape.map(of), (e) => e.asIndirect("WINDOW")),
    ...(filter ? [combine([of(filter)], (e) => e.asIndirect("CONDITIONAL"))] : []),
  ]);
}
