import type { Table } from "apache-arrow";
import type { DataFrame } from "danfojs-node";
import { describe, expect, expectTypeOf, it } from "vitest";
import { defineStep, type Relation, type Row, type Step } from "../../src/index.js";

describe("defineStep types", () => {
  it("types a run step's inputs from `inputs` and `engine`", () => {
    const danfo = defineStep({
      name: "flag",
      engine: "danfo",
      inputs: { df: "enriched" },
      outputs: ["flagged"],
      run: ({ df }) => {
        expectTypeOf(df).toEqualTypeOf<DataFrame>();
        return df;
      },
    });
    const arrow = defineStep({ name: "a", engine: "arrow", inputs: ["t"], outputs: ["u"], run: ({ t }) => {
      expectTypeOf(t).toEqualTypeOf<Table>();
      return t;
    } });
    const rows = defineStep({ name: "r", inputs: { xs: "x" }, outputs: ["y"], run: ({ xs }) => {
      expectTypeOf(xs).toEqualTypeOf<Row[]>();
      return xs;
    } });
    const duck = defineStep({ name: "d", engine: "duckdb", inputs: { o: "orders" }, outputs: ["y"], run: async ({ o }, ctx) => {
      expectTypeOf(o).toEqualTypeOf<Relation>();
      return ctx.duckdb.sql(`SELECT * FROM ${o}`);
    } });
    // Typed steps are still Steps.
    const steps: Step[] = [danfo, arrow, rows, duck];
    expect(steps).toHaveLength(4);
  });

  it("refuses two bodies and unknown engines at compile time", () => {
    // @ts-expect-error a step has one body
    expect(() => defineStep({ name: "x", outputs: ["y"], sql: "SELECT 1", run: () => [] })).toThrow();
    // @ts-expect-error not an engine
    expect(() => defineStep({ name: "x", outputs: ["y"], engine: "pandas", run: () => [] })).toThrow();
    // @ts-expect-error an input the step does not declare
    defineStep({ name: "x", inputs: { a: "a" }, outputs: ["y"], run: ({ b }) => b });
  });
});
