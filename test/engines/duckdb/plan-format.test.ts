// Pins the parts of DuckDB's serialized logical plan that src/lineage relies on. The format is internal
// to DuckDB: when an upgrade changes it, these fail first and say which assumption broke.
import { describe, expect, it } from "vitest";
import { serializedPlan } from "../../../src/engines/duckdb/derive-sql-lineage.js";
import type { PlanNode } from "../../../src/lineage/plan-json.js";
import { withScratchTables } from "../../../src/engines/duckdb/scratch-database.js";

const TABLES = [
  { local: "o", columns: [{ name: "id", type: "INTEGER" }, { name: "k", type: "INTEGER" }, { name: "v", type: "DOUBLE" }] },
  { local: "c", columns: [{ name: "k", type: "INTEGER" }, { name: "name", type: "VARCHAR" }] },
];

function plan(sql: string): Promise<PlanNode> {
  return withScratchTables(TABLES, (connection) => serializedPlan(connection, sql));
}

/** The operator types, depth first. */
function shape(node: PlanNode): unknown {
  const kids = node.children ?? [];
  return kids.length === 0 ? node.type : { [node.type]: kids.map(shape) };
}

const child = (node: PlanNode, i = 0): PlanNode => node.children?.[i] as PlanNode;

describe("DuckDB's serialized plan, as lineage reads it", () => {
  it("is unoptimized: the WHERE stays a filter above the join, column references are positional BOUND_REFs", async () => {
    const root = await plan("SELECT o.id, c.name FROM o JOIN c USING (k) WHERE v > 1");
    expect(shape(root)).toEqual({
      LOGICAL_PROJECTION: [{ LOGICAL_FILTER: [{ LOGICAL_COMPARISON_JOIN: ["LOGICAL_GET", "LOGICAL_GET"] }] }],
    });
    const join = child(child(root));
    const scan = child(join);
    expect(scan).toMatchObject({ name: "seq_scan", function_data: { table: "o" }, names: ["id", "k", "v"] });
    // The binder scans columns in the order it meets them: k (USING), v (WHERE), id (SELECT).
    expect((scan.column_indexes as { index: number }[]).map((c) => c.index)).toEqual([1, 2, 0]);
    expect(join).toMatchObject({
      join_type: "INNER",
      conditions: [{ left: { expression_class: "BOUND_REF", index: 0 }, right: { expression_class: "BOUND_REF", index: 0 }, comparison: "COMPARE_EQUAL" }],
    });
    // The projection's references index the join's output: the left side's columns, then the right's.
    expect(root.expressions).toMatchObject([{ expression_class: "BOUND_REF", index: 2 }, { expression_class: "BOUND_REF", index: 4 }]);
  });

  it("an aggregate outputs its groups, then its aggregates in `expressions` order; the FILTER clause is `filter`", async () => {
    const root = await plan("SELECT k, sum(v) FILTER (WHERE id > 0) AS s, count(*) AS n FROM o GROUP BY k");
    const aggregate = child(root);
    expect(aggregate.type).toBe("LOGICAL_AGGREGATE_AND_GROUP_BY");
    expect(aggregate.groups).toMatchObject([{ expression_class: "BOUND_REF" }]);
    expect(aggregate.expressions).toMatchObject([
      { expression_class: "BOUND_AGGREGATE", name: "sum", filter: { expression_class: "BOUND_COMPARISON" } },
      { expression_class: "BOUND_AGGREGATE", name: "count_star" },
    ]);
    expect(root.expressions).toMatchObject([{ index: 0 }, { index: 1 }, { index: 2 }]);
  });

  it("a window function has partitions and orders of { expression }", async () => {
    const root = await plan("SELECT row_number() OVER (PARTITION BY k ORDER BY v) AS r FROM o");
    const window = child(root);
    expect(window.type).toBe("LOGICAL_WINDOW");
    expect(window.expressions).toMatchObject([{
      expression_class: "BOUND_WINDOW", type: "WINDOW_ROW_NUMBER",
      partitions: [{ expression_class: "BOUND_REF" }], orders: [{ expression: { expression_class: "BOUND_REF" } }],
    }]);
  });

  it("a CTE used twice is a MATERIALIZED_CTE whose table_index the CTE_REFs name", async () => {
    const root = await plan("WITH x AS (SELECT k FROM o) SELECT a.k FROM x a JOIN x b USING (k)");
    expect(root.type).toBe("LOGICAL_MATERIALIZED_CTE");
    const join = child(child(root, 1));
    expect(join.children?.map((c) => [c.type, c.cte_index])).toEqual([
      ["LOGICAL_CTE_REF", root.table_index], ["LOGICAL_CTE_REF", root.table_index],
    ]);
  });

  it("a correlated subquery becomes a DELIM_JOIN whose duplicate-eliminated columns a DELIM_GET reads", async () => {
    const root = await plan("SELECT id FROM o WHERE EXISTS (SELECT 1 FROM c WHERE c.k = o.k)");
    const delim = child(child(root));
    expect(delim).toMatchObject({ type: "LOGICAL_DELIM_JOIN", join_type: "MARK", delim_flipped: false });
    expect(delim.duplicate_eliminated_columns).toMatchObject([{ expression_class: "BOUND_REF" }]);
    expect(JSON.stringify(delim)).toContain('"type":"LOGICAL_DELIM_GET"');
  });

  it("an explicit cast sits at its own text, an implicit one at the expression it converts", async () => {
    const sql = "SELECT k::BIGINT AS a, k + 1::BIGINT AS b FROM o";
    const root = await plan(sql);
    const [a, b] = root.expressions as { query_location: number; children?: { query_location: number }[] }[];
    expect(sql.slice(a?.query_location)).toMatch(/^::BIGINT/);
    expect(sql.slice(b?.children?.[0]?.query_location)).toMatch(/^k \+/);
  });

  it("UNPIVOT is an unpivot_list function unnested, then a NOT NULL filter", async () => {
    const root = await plan("UNPIVOT o ON k, v INTO NAME n VALUE x");
    const text = JSON.stringify(root);
    expect(text).toContain('"name":"unpivot_list"');
    expect(text).toContain('"type":"LOGICAL_UNNEST"');
    expect(text).toContain('"type":"OPERATOR_IS_NOT_NULL"');
  });
});
