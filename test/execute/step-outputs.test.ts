import { tableFromArrays } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { StepOutputError, type Step } from "../../src/index.js";
import { testOrchestrator } from "../helpers/temp-dir.js";

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
    const error = await failure({ name: "num", outputs: ["o"], run: () => 42 as never });
    expect(error).toBeInstanceOf(StepOutputError);
    expect(error?.message).toBe(
      'Step "num" returned a bad output: output "o" is a number; return rows (an array of objects), an Arrow Table, a danfo DataFrame or a DuckDB relation.',
    );
    expect((await failure({ name: "arr", outputs: ["o"], run: () => [{ a: 1 }, 5] as never }))?.message).toBe(
      'Step "arr" returned a bad output: output "o" is an array whose item 1 is a number, not a row object.',
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

  it("passes an input through under a new name", async () => {
    const steps: Step[] = [{ name: "same", engine: "duckdb", inputs: { x: "src" }, outputs: ["copy"], run: ({ x }) => x }];
    const result = await testOrchestrator({ steps }).execute({ sources: { src: [{ v: 1 }] } });
    expect(await result.dataMap.get("copy")?.toRows()).toEqual([{ v: 1 }]);
  });
});
