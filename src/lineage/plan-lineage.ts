import { combine, NO_LINEAGE, unknownValue, type ColumnValue } from "./column-value.js";
import { EdgeSet } from "./edge-set.js";
import { expressionLineage } from "./expression-lineage.js";
import type { IndirectSubtype } from "./column-lineage.js";
import { expressionAt, expressionsAt, isRecord, numbersAt, orderExpressions, type PlanExpression, type PlanNode } from "./plan-json.js";

/** Join types whose output is the left input only, or the right only. */
const LEFT_ONLY_JOINS = new Set(["SEMI", "ANTI"]);
const RIGHT_ONLY_JOINS = new Set(["RIGHT_SEMI", "RIGHT_ANTI"]);
const JOIN_OPERATORS = new Set([
  "LOGICAL_COMPARISON_JOIN", "LOGICAL_DELIM_JOIN", "LOGICAL_ANY_JOIN", "LOGICAL_ASOF_JOIN", "LOGICAL_CROSS_PRODUCT",
  "LOGICAL_POSITIONAL_JOIN",
]);
/** Operators that hand their input's columns on unchanged, with no edge of their own (rule 12). */
const PASS_THROUGH = new Set(["LOGICAL_LIMIT", "LOGICAL_DISTINCT", "LOGICAL_SAMPLE"]);

/** The lineage of a bound plan: each output column's value, and the dataset-wide INDIRECT edges. */
export interface PlanLineage {
  readonly columns: readonly ColumnValue[];
  readonly datasetWide: EdgeSet;
  /** Conditions whose columns could not be followed (their dataset-wide edges are missing). */
  readonly missingConditions: readonly string[];
}

interface WalkState {
  readonly sql: string;
  /** The input dataset a scanned table stands for (undefined: not an input of the step). */
  readonly datasetOf: (table: string) => string | undefined;
  datasetWide: EdgeSet;
  readonly missingConditions: string[];
  readonly ctes: Map<number, readonly ColumnValue[]>;
  /** The duplicate-eliminated columns of the DELIM joins being walked, innermost last. */
  readonly delims: (readonly ColumnValue[])[];
}

/** Operators between the root and the outer ORDER BY: an ORDER BY under anything else is not the outer one. */
const OUTER_CHAIN = new Set(["LOGICAL_PROJECTION", "LOGICAL_LIMIT", "LOGICAL_DISTINCT", "LOGICAL_ORDER_BY", "LOGICAL_MATERIALIZED_CTE"]);

/**
 * Walks DuckDB's bound (unoptimized) logical plan bottom-up, giving every operator's output columns their
 * lineage by position (after DuckDB's column binding resolver, a `BOUND_REF` is an index into the
 * operator's input: the concatenation of its children's outputs). An operator or expression linea does
 * not know makes the columns built on it `unknown` instead of guessing.
 */
export function planLineage(root: PlanNode, sql: string, datasetOf: (table: string) => string | undefined): PlanLineage {
  const state: WalkState = { sql, datasetOf, datasetWide: EdgeSet.empty(), missingConditions: [], ctes: new Map(), delims: [] };
  const columns = walk(root, state, false, true);
  return { columns, datasetWide: state.datasetWide, missingConditions: state.missingConditions };
}

function children(node: PlanNode): readonly PlanNode[] {
  return Array.isArray(node.children) ? node.children : [];
}

/** Records every field of `expressions` (over `columns`) as a dataset-wide INDIRECT edge of `subtype`. */
function condition(state: WalkState, subtype: IndirectSubtype, expressions: readonly PlanExpression[], columns: readonly ColumnValue[]): void {
  const value = combine(expressions.map((e) => expressionLineage(e, { columns, sql: state.sql })));
  if (value.unknown !== undefined) {
    state.missingConditions.push(`${subtype}: ${value.unknown}`);
    return;
  }
  state.datasetWide = EdgeSet.union([state.datasetWide, value.edges.asIndirect(subtype)]);
}

function project(expressions: readonly PlanExpression[], columns: readonly ColumnValue[], state: WalkState): ColumnValue[] {
  return expressions.map((e) => expressionLineage(e, { columns, sql: state.sql }));
}

/** Keeps the columns a `projection_map` names (all of them when it is empty). */
function mapped(node: PlanNode, key: string, columns: readonly ColumnValue[]): readonly ColumnValue[] {
  const map = numbersAt(node, key);
  return map.length === 0 ? columns : map.map((i) => columns[i] ?? unknownValue(`projection map entry ${i} out of range`));
}

/**
 * `underJoin`: the node is a direct input of a plain join. `outer`: only operators of {@link OUTER_CHAIN}
 * lie between it and the root (rule 9: SORT is for the outer ORDER BY).
 */
function walk(node: PlanNode, state: WalkState, underJoin: boolean, outer: boolean): readonly ColumnValue[] {
  const kids = children(node);
  const childOuter = outer && OUTER_CHAIN.has(node.type);
  const child = (i: number, joinSide = false): readonly ColumnValue[] => {
    const k = kids[i];
    // A CTE's definition (child 0 of MATERIALIZED_CTE) is not on the outer chain; its body is.
    return k === undefined ? [] : walk(k, state, joinSide, childOuter && !(node.type === "LOGICAL_MATERIALIZED_CTE" && i === 0));
  };
  switch (node.type) {
    case "LOGICAL_GET":
      return scanLineage(node, state);
    case "LOGICAL_PROJECTION":
      return project(expressionsAt(node, "expressions"), child(0), state);
    case "LOGICAL_FILTER": {
      const input = child(0);
      // The planner turns the part of a join's ON that reads one side only into a filter under the join:
      // those columns are JOIN (rule 9), not FILTER.
      const expressions = expressionsAt(node, "expressions");
      if (!isUnpivotNullFilter(expressions, input)) condition(state, underJoin ? "JOIN" : "FILTER", expressions, input);
      return mapped(node, "projection_map", input);
    }
    case "LOGICAL_AGGREGATE_AND_GROUP_BY": {
      const input = child(0);
      const groups = expressionsAt(node, "groups");
      condition(state, "GROUP_BY", groups.filter((g) => !isCorrelatedRef(g, input)), input);
      const groupings = Array.isArray(node.grouping_functions) ? node.grouping_functions.length : 0;
      return [
        ...project(groups, input, state),
        ...project(expressionsAt(node, "expressions"), input, state),
        // GROUPING(...) says which grouping set a row belongs to: no DIRECT edge.
        ...Array.from({ length: groupings }, () => NO_LINEAGE),
      ];
    }
    case "LOGICAL_WINDOW": {
      const input = child(0);
      return [...input, ...project(expressionsAt(node, "expressions"), input, state)];
    }
    case "LOGICAL_UNNEST": {
      const input = child(0);
      return [...input, ...project(expressionsAt(node, "expressions"), input, state)];
    }
    case "LOGICAL_ORDER_BY": {
      const input = child(0);
      if (outer) condition(state, "SORT", orderExpressions(node, "orders"), input);
      return mapped(node, "projections", input);
    }
    case "LOGICAL_UNION":
    case "LOGICAL_EXCEPT":
    case "LOGICAL_INTERSECT": {
      const left = child(0);
      const right = child(1);
      if (node.type === "LOGICAL_UNION") return left.map((l, i) => combine([l, right[i] ?? unknownValue("set operation inputs of different widths")]));
      // EXCEPT and INTERSECT return the left input's values; the right input only decides which rows stay.
      const rightValue = combine(right);
      if (rightValue.unknown !== undefined) state.missingConditions.push(`FILTER: ${rightValue.unknown}`);
      else state.datasetWide = EdgeSet.union([state.datasetWide, rightValue.edges.asIndirect("FILTER")]);
      return left;
    }
    case "LOGICAL_MATERIALIZED_CTE": {
      const index = node.table_index;
      const definition = child(0);
      if (typeof index === "number") state.ctes.set(index, definition);
      return child(1);
    }
    case "LOGICAL_CTE_REF": {
      const index = node.cte_index;
      const definition = typeof index === "number" ? state.ctes.get(index) : undefined;
      const width = Array.isArray(node.chunk_types) ? node.chunk_types.length : (definition?.length ?? 0);
      if (definition === undefined) return Array.from({ length: width }, () => unknownValue("a reference to a CTE linea did not see defined"));
      return definition.slice(0, width);
    }
    case "LOGICAL_DELIM_GET": {
      const delim = state.delims.at(-1);
      return delim?.map((c): ColumnValue => ({ ...c, correlated: true })) ?? [unknownValue("a DELIM_GET outside a DELIM join")];
    }
    case "LOGICAL_DUMMY_SCAN":
      return [];
    case "LOGICAL_EXPRESSION_GET": {
      const input = child(0);
      const rows = Array.isArray(node.expressions) ? node.expressions : [];
      const lists = rows.map((row) => (Array.isArray(row) ? project(row.filter(isExpression), input, state) : []));
      const width = Array.isArray(node.expr_types) ? node.expr_types.length : (lists[0]?.length ?? 0);
      return Array.from({ length: width }, (_, i) => combine(lists.map((l) => l[i] ?? NO_LINEAGE)));
    }
    case "LOGICAL_EMPTY_RESULT": {
      const width = Array.isArray(node.return_types) ? node.return_types.length : 0;
      return Array.from({ length: width }, () => NO_LINEAGE);
    }
    default:
      if (JOIN_OPERATORS.has(node.type)) return joinLineage(node, state, child);
      if (PASS_THROUGH.has(node.type)) return child(0);
      return unknownOperator(node);
  }
}

function isExpression(value: unknown): value is PlanExpression {
  return isRecord(value) && typeof value.expression_class === "string";
}

/** UNPIVOT drops the NULL values it unnests with a filter of its own: no row condition the user wrote. */
function isUnpivotNullFilter(expressions: readonly PlanExpression[], input: readonly ColumnValue[]): boolean {
  if (expressions.length !== 1) return false;
  const [e] = expressions as [PlanExpression];
  if (e.type !== "OPERATOR_IS_NOT_NULL") return false;
  const [arg] = expressionsAt(e, "children");
  return arg?.expression_class === "BOUND_REF" && typeof arg.index === "number" && input[arg.index]?.unpivot === "value";
}

/** A bare reference to a correlated column of a decorrelated subquery. */
function isCorrelatedRef(e: PlanExpression, input: readonly ColumnValue[]): boolean {
  return e.expression_class === "BOUND_REF" && typeof e.index === "number" && input[e.index]?.correlated === true;
}

function unknownOperator(node: PlanNode): readonly ColumnValue[] {
  const width = Array.isArray(node.returned_types) ? node.returned_types.length : 1;
  const reason = `DuckDB operator ${node.type} is not followed by linea's lineage`;
  return Array.from({ length: Math.max(width, 1) }, () => unknownValue(reason));
}

/** A table scan: each scanned column of an input table is that dataset's column (IDENTITY). */
function scanLineage(node: PlanNode, state: WalkState): readonly ColumnValue[] {
  const names = Array.isArray(node.names) ? node.names : [];
  const indexes = Array.isArray(node.column_indexes) ? node.column_indexes.filter(isRecord).map((c) => c.index) : [];
  const data = isRecord(node.function_data) ? node.function_data : {};
  const table = node.name === "seq_scan" && typeof data.table === "string" ? data.table : undefined;
  const dataset = table === undefined ? undefined : state.datasetOf(table);
  let columns: ColumnValue[];
  if (table !== undefined && dataset === undefined) {
    columns = indexes.map(() => unknownValue(`a scan of table ${table}, which is not an input of the step`));
  } else if (dataset === undefined) {
    // A table function (range, generate_series, ...): generated values, no input column.
    const tableFunction = typeof node.name === "string" ? node.name : "?";
    columns = indexes.map(() =>
      children(node).length > 0 ? unknownValue(`table function ${tableFunction} over a subquery`) : NO_LINEAGE,
    );
  } else {
    columns = indexes.map((i) => {
      const name = typeof i === "number" ? names[i] : undefined;
      // Virtual columns (rowid, ...) have indexes past the table's columns.
      return typeof name === "string" ? { edges: EdgeSet.identity(dataset, name) } : NO_LINEAGE;
    });
  }
  const projection = numbersAt(node, "projection_ids");
  return projection.length === 0 ? columns : projection.map((i) => columns[i] ?? unknownValue("scan projection out of range"));
}

/**
 * A join: the output is the left input's columns then the right's (one side for SEMI/ANTI, plus the
 * match flag for MARK). ON/USING columns are dataset-wide JOIN edges; for the joins DuckDB plans from
 * IN/EXISTS subqueries (MARK, SEMI, ANTI) the compared columns instead decide a row's fate: they become
 * the MARK flag's lineage (a filter on it makes them FILTER) or FILTER edges directly. The conditions of
 * a DELIM join (decorrelating a subquery) only restate the correlation the subquery's own WHERE holds.
 */
function joinLineage(node: PlanNode, state: WalkState, child: (i: number, joinSide?: boolean) => readonly ColumnValue[]): readonly ColumnValue[] {
  const joinType = typeof node.join_type === "string" ? node.join_type : "INNER";
  const isDelim = node.type === "LOGICAL_DELIM_JOIN";
  const subqueryJoin = joinType === "MARK" || LEFT_ONLY_JOINS.has(joinType) || RIGHT_ONLY_JOINS.has(joinType);
  // Filters directly under a plain join come from its ON clause.
  const joinSide = !isDelim && !subqueryJoin && node.type !== "LOGICAL_CROSS_PRODUCT";
  const flipped = node.delim_flipped === true;
  let left: readonly ColumnValue[];
  let right: readonly ColumnValue[];
  if (isDelim) {
    // The duplicate-eliminated columns are computed over the side that is not the subquery.
    const outerIndex = flipped ? 1 : 0;
    const outer = child(outerIndex);
    const delim = project(expressionsAt(node, "duplicate_eliminated_columns"), outer, state);
    state.delims.push(delim);
    const inner = child(1 - outerIndex);
    state.delims.pop();
    [left, right] = flipped ? [inner, outer] : [outer, inner];
  } else {
    left = child(0, joinSide);
    right = child(1, joinSide);
  }
  const conditionValues: ColumnValue[] = [];
  for (const c of Array.isArray(node.conditions) ? node.conditions.filter(isRecord) : []) {
    const l = expressionAt(c, "left");
    const r = expressionAt(c, "right");
    if (l === undefined || r === undefined || isCorrelatedRef(l, left) || isCorrelatedRef(r, right)) continue;
    conditionValues.push(expressionLineage(l, { columns: left, sql: state.sql }));
    conditionValues.push(expressionLineage(r, { columns: right, sql: state.sql }));
  }
  const predicate = expressionAt(node, "predicate");
  if (predicate) conditionValues.push(expressionLineage(predicate, { columns: [...left, ...right], sql: state.sql }));
  const matched = combine(conditionValues);

  if (joinType === "MARK") {
    const flag: ColumnValue = matched.unknown !== undefined ? matched : { edges: matched.edges.through("TRANSFORMATION") };
    return [...left, flag];
  }
  if (!isDelim) {
    const subtype: IndirectSubtype = subqueryJoin ? "FILTER" : "JOIN";
    if (matched.unknown !== undefined) state.missingConditions.push(`${subtype}: ${matched.unknown}`);
    else state.datasetWide = EdgeSet.union([state.datasetWide, matched.edges.asIndirect(subtype)]);
  }
  if (LEFT_ONLY_JOINS.has(joinType)) return left;
  if (RIGHT_ONLY_JOINS.has(joinType)) return right;
  return [...left, ...right];
}
