import { tableFromArrays } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { StepOutputError, type Step } from "../../src/index.js";
import { tempDir, testOrchestrator } from "../helpers/temp-dir.js";

async function failure(step: Step): Promise<Error | undefined> {
  const result = await testOrchestrator({ steps: [step] }).execute();
  return result.nodes[step.name]?.error;
}

describe("run step outputs", () => {
  it("may return any form, and several outputs as { name: value }", async () => {
    const steps: Step[] = [{
      name: "many", outputs: ["r", "a", "d"],
      run: async (_inputs, ctx) => ({
        r: [{ x: 1 }],
        a: tableFromArrays({ x: Float64Array.from([1, 2]) }),
        d: await ctx.duckdb.sql("SELECT 42 AS x"),
      }),
    }];
    const result = await testOrchestrator({ steps }).execute();
    expect(result.nodes.many?.rowCounts).toEqual({ r: 1, a: 2, d: 1 });
    expect(result.dataMap.get("d")?.form).toBe("duckdb");
  });

  it("accepts { name: value } for a single output too", async () => {
    const result = await testOrchestrator({ steps: [{ name: "one", outputs: ["o"], run: () => ({ o: [{ x: 1 }] }) }] }).execute();
    expect(await result.dataMap.get("o")?.toRows()).toEqual([{ x: 1 }]);
  });

  it("fails a step that returns the wrong type", async () => {
    // A number is a value dataset now (test/execute/value-datasets.test.ts); a Map is neither a table nor JSON.
    const error = await failure({ name: "map", outputs: ["o"], run: () => new Map() as never });
    expect(error).toBeInstanceOf(StepOutputError);
    expect(error?.message).toBe(
      'Step "map" returned a bad output: output "o" is a Map; return rows (an array of objects), an Arrow Table, a danfo DataFrame, a DuckDB relation or a plain JSON value.',
    );
    expect((await failure({ name: "arr", outputs: ["o"], run: () => [{ a: 1 }, 5] as never }))?.message).toBe(
      'Step "arr" returned a bad output: output "o" is an array whose item 1 is a number, not a row object. ' +
      "Rows are an array of plain objects only; an array of no objects at all (numbers, strings, lists) is a value.",
    );
  });

  it("fails a step that misses a declared output or returns an undeclared one", async () => {
    expect((await failure({ name: "miss", outputs: ["a", "b"], run: () => ({ a: [] }) }))?.message).toBe(
      'Step "miss" returned a bad output: missing declared output "b". Return { a, b }.',
    );
    expect((await failure({ name: "extra", outputs: ["a", "b"], run: () => ({ a: [], b: [], c: [] }) }))?.message).toBe(
      'Step "extra" returned a bad output: undeclared output "c". Add it to outputs, or stop returning it.',
    );
    expect((await failure({ name: "flat", outputs: ["a", "b"], run: () => [] }))?.message).toBe(
      'Step "flat" returned a bad output: it declares outputs "a", "b" and must return { a, b }; it returned an array.',
    );
  });

  it("fails the step that returns an output linea cannot store and read back, and never caches it", async () => {
    const dir = tempDir();
    const cached = (step: Step) => testOrchestrator({ steps: [step], baseDir: dir, cache: true, checkpoint: true }).execute();
    const empty = await cached({ name: "empty", outputs: ["o"], run: () => [] });
    expect(empty.nodes.empty?.error).toBeInstanceOf(StepOutputError);
    expect(empty.nodes.empty?.error?.message).toBe(
      'Step "empty" returned a bad output: output "o" is an empty array, which carries no schema: linea cannot store it or query it. ' +
      'Declare its columns on the step (columns: { o: { id: "BIGINT" } }), or return at least one column: rows with keys, or for no rows an Arrow Table or a DuckDB relation with a schema.',
    );
    // Run again: it fails again (nothing was stored for it).
    expect((await cached({ name: "empty", outputs: ["o"], run: () => [] })).nodes.empty?.status).toBe("failed");
    expect((await failure({ name: "blank", outputs: ["o"], run: () => [{}, {}] }))?.message).toContain('output "o" is rows without any column');
    const loop: Record<string, unknown> = { id: 1 };
    loop.self = loop;
    const looped: Record<string, unknown> = { a: 1 };
    looped.deeper = { list: [looped] };
    const bad = (value: unknown) => failure({ name: "bad", outputs: ["o"], run: () => [{ x: 1, v: null }, { x: 2, v: value }] as never });
    const detail = (why: string) =>
      `Step "bad" returned a bad output: output "o" cannot be stored and read back as it is: in row 1, column "v", ${why}. ` +
      "Return plain values (numbers, strings, booleans, Dates, bytes, arrays and plain objects of them).";
    expect((await bad(loop))?.message).toBe(detail("the value.self refers back to itself (a circular reference)"));
    expect((await bad(looped))?.message).toBe(detail("the value.deeper.list[0] refers back to itself (a circular reference)"));
    expect((await bad(() => 1))?.message).toBe(detail("the value is a function"));
    expect((await bad(Symbol("s")))?.message).toBe(detail("the value is a symbol"));
    expect((await bad(new Map([["a", 1]])))?.message).toBe(
      detail("the value is a Map, which has no column type (use plain objects, arrays, Dates, numbers, strings, booleans)"),
    );
    expect((await bad(2n ** 64n))?.message).toBe(detail("the value is a bigint outside 64 bits (18446744073709551616)"));
    expect((await bad(new Date(Number.NaN)))?.message).toBe(detail("the value is an invalid Date"));
    // The same object twice (not a cycle), nested plain values, Dates and bytes are fine.
    const shared = { k: 1 };
    const fine = await testOrchestrator({ steps: [{ name: "fine", outputs: ["o"], run: () => [
      { a: shared, b: shared, d: new Date("2024-01-02T00:00:00Z"), bytes: new Uint8Array([1]), list: [[1], [2]], n: 2n },
    ] }] }).execute();
    expect(fine.nodes.fine?.status).toBe("success");
  });

  it("passes an input through under a new name", async () => {
    const steps: Step[] = [{ name: "same", engine: "duckdb", inputs: { x: "src" }, outputs: ["copy"], run: ({ x }) => x }];
    const result = await testOrchestrator({ steps }).execute({ sources: { src: [{ v: 1 }] } });
    expect(await result.dataMap.get("copy")?.toRows()).toEqual([{ v: 1 }]);
  });
});
