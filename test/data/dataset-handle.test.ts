import { tableFromArrays, Table } from "apache-arrow";
import { describe, expect, it } from "vitest";
import type { DataFrame } from "danfojs-node";
import { defineStep, Relation, type Row, type Step } from "../../src/index.js";
import { DatasetHandle } from "../../src/data/dataset-handle.js";
import { testOrchestrator } from "../helpers/temp-dir.js";

const rows: Row[] = [
  { id: 1, name: "a", price: 1.5, ok: true, day: new Date("2024-01-02T00:00:00Z") },
  { id: 2, name: null, price: 2.25, ok: false, day: new Date("2024-03-04T00:00:00Z") },
];
const schema = [
  { name: "id", type: "BIGINT" },
  { name: "name", type: "VARCHAR" },
  { name: "price", type: "DOUBLE" },
  { name: "ok", type: "BOOLEAN" },
  { name: "day", type: "DATE" },
];

/** Runs a pass-through step of `engine` over `rows` and returns the run's handle of its output. */
async function through(engine: "duckdb" | "arrow" | "danfo" | "rows"): Promise<DatasetHandle> {
  const steps: Step[] = [
    { name: "pass", engine, inputs: { x: "src" }, outputs: ["out"], run: (({ x }: { x: unknown }) => x) as never } as Step,
  ];
  const result = await testOrchestrator({ steps }).execute({ sources: { src: rows } });
  expect(result.nodes.pass?.error).toBeUndefined();
  return result.dataMap.get("out") as DatasetHandle;
}

describe("dataset forms", () => {
  for (const engine of ["rows", "duckdb", "arrow", "danfo"] as const) {
    it(`keep values and the schema through ${engine}`, async () => {
      const out = await through(engine);
      expect(out.form).toBe(engine);
      expect(await out.schema()).toEqual(schema);
      expect(await out.rowCount()).toBe(2);
      expect(await out.toRows()).toEqual(rows);
      expect(await out.sample(1)).toEqual([rows[0]]);
    });
  }

  it("answer schema, row count and sample without converting", async () => {
    const out = await through("duckdb");
    await out.schema();
    await out.rowCount();
    await out.sample(1);
    expect(out.has("rows")).toBe(false);
    expect(out.has("arrow")).toBe(false);
  });

  it("convert at most once per form, and hand out copies of mutable forms", async () => {
    const out = await through("duckdb");
    const shared = await out.valueIn("arrow");
    expect(await out.valueIn("arrow")).toBe(shared);
    const first = await out.toRows();
    first[0]!.id = 999;
    expect((await out.toRows())[0]?.id).toBe(1);
    const df = (await out.toDanfo()) as DataFrame;
    df.addColumn("extra", [1, 2], { inplace: true });
    expect(((await out.toDanfo()) as DataFrame).columns).not.toContain("extra");
  });

  it("give a danfo step a copy: an inplace change does not reach the input dataset", async () => {
    const steps: Step[] = [
      defineStep({ name: "mutate", engine: "danfo", inputs: { df: "src" }, outputs: ["out"], run: ({ df }) => {
        df.addColumn("flag", df["price"].gt(2), { inplace: true });
        return df;
      } }),
      { name: "after", inputs: { x: "src" }, outputs: ["after"], run: ({ x }) => x },
    ];
    const result = await testOrchestrator({ steps, maxWorkers: 1 }).execute({ sources: { src: rows } });
    expect((await result.dataMap.get("out")?.schema())?.map((c) => c.name)).toContain("flag");
    expect(Object.keys((await result.dataMap.get("after")?.toRows())?.[0] ?? {})).not.toContain("flag");
  });

  it("type DuckDB's wide and nested types through every form", async () => {
    const steps: Step[] = [{
      name: "make", outputs: ["m"], sql: `SELECT sum(x)::HUGEINT AS total, 12.5::DECIMAL(10,2) AS dec, TIMESTAMP '2024-05-06 07:08:09' AS ts,
        [1, 2, 3] AS list, {'a': 1, 'b': 'x'} AS obj, INTERVAL 3 DAY AS span FROM range(5) t(x)`,
    }];
    const result = await testOrchestrator({ steps }).execute();
    const m = result.dataMap.get("m") as DatasetHandle;
    expect((await m.schema()).map((c) => c.type)).toEqual(["HUGEINT", "DECIMAL(10,2)", "TIMESTAMP", "INTEGER[]", 'STRUCT(a INTEGER, b VARCHAR)', "INTERVAL"]);
    const [row] = await m.toRows();
    expect(row).toMatchObject({ total: 10, dec: 12.5, ts: new Date("2024-05-06T07:08:09Z"), list: [1, 2, 3], obj: { a: 1, b: "x" } });
    const table = await m.toArrow();
    expect(table.schema.fields.map((f) => String(f.type))).toEqual(["Int64", "Float64", "Timestamp<MILLISECOND>", "List<Int32>", "Struct<{a:Int32, b:Utf8}>", "Utf8"]);
  });

  it("take sources in any form", async () => {
    const arrow = tableFromArrays({ id: Int32Array.from([1, 2, 3]) });
    const steps: Step[] = [{ name: "sum", inputs: { a: "arrow_src" }, outputs: ["s"], sql: "SELECT sum(id) AS total FROM a" }];
    const result = await testOrchestrator({ steps }).execute({ sources: { arrow_src: arrow } });
    expect(await result.dataMap.get("s")?.toRows()).toEqual([{ total: 6 }]);
    expect(result.dataMap.get("arrow_src")?.form).toBe("arrow");
    expect(await result.dataMap.get("arrow_src")?.toArrow()).toBeInstanceOf(Table);
  });

  it("refuse an empty array of rows where DuckDB needs columns: the step that returned it fails", async () => {
    const steps: Step[] = [
      { name: "nothing", outputs: ["empty"], run: () => [] },
      { name: "query", inputs: { e: "empty" }, outputs: ["q"], sql: "SELECT * FROM e" },
    ];
    const result = await testOrchestrator({ steps }).execute();
    expect(result.nodes.nothing?.status).toBe("failed");
    expect(result.nodes.nothing?.error?.message).toContain('output "empty" is an empty array, which carries no schema');
    expect(result.nodes.query).toMatchObject({ status: "skipped", kind: "aborted" });
  });

  it("exposes a relation handle to duckdb steps", async () => {
    const steps: Step[] = [{
      name: "filter", engine: "duckdb", inputs: { o: "src" }, outputs: ["cheap"],
      run: async ({ o }, ctx) => {
        expect(o).toBeInstanceOf(Relation);
        await ctx.duckdb.sql("SELECT 1 AS unused");
        return ctx.duckdb.sql(`SELECT id FROM ${o} WHERE price < 2`);
      },
    }];
    const result = await testOrchestrator({ steps }).execute({ sources: { src: rows } });
    expect(await result.dataMap.get("cheap")?.toRows()).toEqual([{ id: 1 }]);
  });
});
