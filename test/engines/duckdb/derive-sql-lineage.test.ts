import { describe, expect, it } from "vitest";
import type { InputField } from "../../../src/lineage/column-lineage.js";
import { deriveSqlLineage, uniqueNames } from "../../../src/engines/duckdb/derive-sql-lineage.js";
import { CASE_INPUTS, SQL_CASES } from "./sql-cases.js";

/** Input fields in the cases' notation. */
export function edgeText(fields: readonly InputField[]): string {
  return fields.map((f) => `${f.dataset}.${f.field}:${f.transformations.map((t) => t.subtype).join("+")}`).join(", ");
}

describe("deriveSqlLineage: one case per construct of COLUMN_LINEAGE.md", () => {
  it.each(SQL_CASES)("$construct", async (c) => {
    const lineage = await deriveSqlLineage({ sql: c.sql, inputs: CASE_INPUTS, output: "out" });
    expect(lineage.source).toBe("sql");
    const out = lineage.outputs.out;
    expect(out?.unresolved).toBeUndefined();
    expect(lineage.note).toBeUndefined();
    const fields = Object.fromEntries(Object.entries(out?.fields ?? {}).map(([k, v]) => [k, edgeText(v.inputFields)]));
    expect(fields).toEqual(c.fields);
    expect(Object.keys(fields)).toEqual(Object.keys(c.fields)); // in output order
    expect(edgeText(out?.dataset ?? [])).toBe(c.dataset ?? "");
  });

  it("transformations carry their type: DIRECT for IDENTITY/TRANSFORMATION/AGGREGATION, INDIRECT otherwise", async () => {
    const lineage = await deriveSqlLineage({
      sql: "SELECT coalesce(status, 'x') AS s FROM o WHERE qty > 0", inputs: CASE_INPUTS, output: "out",
    });
    expect(lineage.outputs.out).toEqual({
      fields: {
        s: { inputFields: [{ dataset: "orders", field: "status", transformations: [
          { type: "DIRECT", subtype: "IDENTITY" }, { type: "INDIRECT", subtype: "CONDITIONAL" },
        ] }] },
      },
      dataset: [{ dataset: "orders", field: "qty", transformations: [{ type: "INDIRECT", subtype: "FILTER" }] }],
    });
  });

  it("SQL DuckDB cannot plan on the inputs is unresolved with DuckDB's reason, for every output column", async () => {
    const lineage = await deriveSqlLineage({ sql: "SELECT nope FROM o", inputs: CASE_INPUTS, output: "out", outputColumns: ["nope"] });
    expect(lineage.outputs.out?.fields).toEqual({});
    expect(lineage.outputs.out?.unresolved?.nope).toMatch(/^DuckDB could not plan the SQL on empty inputs: .*"nope" not found/);
  });

  it("reads no file: the scratch database has no external access", async () => {
    const lineage = await deriveSqlLineage({ sql: "SELECT * FROM read_csv('/etc/passwd')", inputs: CASE_INPUTS, output: "out" });
    expect(lineage.outputs.out?.fields).toEqual({});
    expect(lineage.note).toMatch(/could not plan/);
  });

  it("a PIVOT without IN depends on the data: unresolved, saying how to get lineage", async () => {
    const lineage = await deriveSqlLineage({
      sql: "PIVOT o ON status USING sum(qty) GROUP BY customer_id", inputs: CASE_INPUTS, output: "out",
      outputColumns: ["customer_id", "done", "open"],
    });
    expect(lineage.outputs.out?.fields).toEqual({});
    expect(lineage.outputs.out?.unresolved).toEqual({
      customer_id: expect.stringMatching(/PIVOT without an IN list .* list the values with IN/),
      done: expect.any(String), open: expect.any(String),
    });
  });

  it("repeated output names are made unique as the output table has them", () => {
    expect(uniqueNames(["id", "ID", "x", "id"])).toEqual(["id", "ID_1", "x", "id_2"]);
  });
});
