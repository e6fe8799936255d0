import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defineStep, renderHtmlReport, StepDefinitionError, type Row, type Step } from "../../src/index.js";
import { expectValidLineage } from "../helpers/lineage-validator.js";
import { tempDir, testOrchestrator } from "../helpers/temp-dir.js";

const orders: Row[] = [
  { id: 1, amount: 10.5, status: "done" },
  { id: 2, amount: 99, status: "done" },
  { id: 3, amount: 7, status: "open" },
];

/** A threshold computed in one run step, used by two others (rows and danfo engines). */
const valueSteps: Step[] = [
  { name: "threshold", inputs: ["orders"], outputs: ["threshold"], run: (inputs) => Math.max(...(inputs.orders as Row[]).map((o) => Number(o.amount))) / 2 },
  { name: "config", outputs: ["config"], run: () => ({ currency: "EUR", statuses: ["done"], nested: { deep: [1, 2, null] } }) },
  {
    name: "big", inputs: ["orders", "threshold", "config"], outputs: ["big"],
    run: (inputs) => {
      const { orders, threshold, config } = inputs as unknown as { orders: Row[]; threshold: number; config: { statuses: string[] } };
      return orders.filter((o) => Number(o.amount) > threshold && config.statuses.includes(String(o.status)));
    },
  },
  {
    name: "label", engine: "danfo", inputs: ["threshold", "config"], outputs: ["label"],
    run: (inputs) => {
      const { threshold, config } = inputs as unknown as { threshold: number; config: { currency: string } };
      return `above ${threshold} ${config.currency}`;
    },
  },
];

describe("value datasets", () => {
  it("passes a number, an object and a string between run steps as they are, whatever the engine", async () => {
    const result = await testOrchestrator({ name: "values", steps: valueSteps }).execute({ sources: { orders } });
    expect(result.status).toBe("success");
    const threshold = result.dataMap.get("threshold");
    expect(threshold?.kind).toBe("value");
    expect(threshold?.form).toBe("value");
    expect(await threshold?.value()).toBe(49.5);
    expect(await result.dataMap.get("label")?.value()).toBe("above 49.5 EUR");
    expect(await result.dataMap.get("big")?.toRows()).toEqual([{ id: 2, amount: 99, status: "done" }]);
    expect(result.dataMap.get("big")?.kind).toBe("table");
    expect(await result.dataMap.get("config")?.value()).toEqual({ currency: "EUR", statuses: ["done"], nested: { deep: [1, 2, null] } });
    await expect(threshold?.toRows()).rejects.toThrow('Cannot read value dataset "threshold" as a table: it holds a JSON number, not rows.');
    await expect(result.dataMap.get("big")?.value()).rejects.toThrow('dataset "big" is a table, not a value');
  });

  it("tracks a value's JSON type and a short preview: tracker, lineage JSON (valid), HTML report; no rows, no schema", async () => {
    const result = await testOrchestrator({ name: "values", steps: valueSteps, redact: ["currency"] }).execute({ sources: { orders } });
    await result.tracker.settled();
    const threshold = result.tracker.step("threshold")?.afterSnapshot;
    expect(threshold).toEqual({ dataset: "threshold", schema: [], rowCount: 0, sample: [], value: { type: "number", preview: "49.5" } });
    // Redacted keys are masked in a value's preview too.
    expect(result.tracker.step("config")?.afterSnapshot?.value).toEqual({ type: "object", preview: '{"currency":"[redacted]","statuses":["done"],"nested":{"deep":[1,2,null]}}' });
    expect(result.tracker.step("big")?.beforeSnapshots.threshold?.value?.type).toBe("number");
    const lineage = result.tracker.toLineage();
    expectValidLineage(lineage);
    const step = lineage.steps.find((s) => s.step_name === "label");
    expect(step?.after_snapshot).toEqual({ dataset: "label", schema: [], row_count: 0, sample: [], value: { type: "string", preview: '"above 49.5 EUR"' } });
    const html = await renderHtmlReport(result.tracker);
    expect(html).toContain('<div class="snapshot value"><h5>output <code>label</code>, a JSON string</h5><pre class="value-preview">&quot;above 49.5 EUR&quot;</pre></div>');
  });

  it("cuts a long value's preview to 200 characters", async () => {
    const steps: Step[] = [{ name: "long", outputs: ["long"], run: () => ({ text: "x".repeat(500) }) }];
    const result = await testOrchestrator({ steps }).execute();
    await result.tracker.settled();
    const preview = result.tracker.step("long")?.afterSnapshot?.value?.preview ?? "";
    expect(Array.from(preview)).toHaveLength(200);
    expect(preview.startsWith('{"text":"xxx')).toBe(true);
    expect(preview.endsWith("x…")).toBe(true);
  });

  it("caches a value as a content-addressed JSON object and reuses it, across runs and after a resume", async () => {
    const dir = tempDir();
    const calls: string[] = [];
    // Larger than an inline output may be (small values are kept inside their cache entry instead).
    const names = ["a", "b", ...Array.from({ length: 3000 }, (_, i) => `name-${i}`)];
    const flag = join(dir, "fail.flag");
    const steps = (): Step[] => [
      { name: "count", outputs: ["count"], run: () => (calls.push("count"), { n: 3, names }) },
      {
        name: "use", inputs: ["count"], outputs: ["used"],
        run: (inputs) => {
          calls.push("use");
          if (existsSync(flag)) throw new Error("planned failure");
          const { count } = inputs as unknown as { count: { n: number; names: string[] } };
          return [{ n: count.n, first: count.names[0] }];
        },
      },
    ];
    const orchestrator = () => testOrchestrator({ name: "cached_values", steps: steps(), baseDir: dir, cache: true, checkpoint: true, maxWorkers: 1 });
    writeFileSync(flag, "");
    const first = await orchestrator().execute();
    expect(first.nodes.count?.status).toBe("success");
    expect(first.nodes.use?.status).toBe("failed");
    const objects = readdirSync(join(dir, ".linea/cache/objects"), { recursive: true }).map(String).filter((f) => f.endsWith(".json"));
    expect(objects).toHaveLength(1);
    const stored = readFileSync(join(dir, ".linea/cache/objects", objects[0] as string), "utf8");
    expect(JSON.parse(stored)).toEqual({ n: 3, names });
    expect(objects[0]).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{64}\.json$/);

    rmSync(flag);
    calls.length = 0;
    const resumed = await orchestrator().resume(first.runId);
    expect(resumed.status).toBe("success");
    expect(resumed.nodes.count?.status).toBe("cached");
    expect(calls).toEqual(["use"]);
    expect(await resumed.dataMap.get("used")?.toRows()).toEqual([{ n: 3, first: "a" }]);
    expect(resumed.dataMap.get("count")?.kind).toBe("value");
    expect(await resumed.dataMap.get("count")?.value()).toEqual({ n: 3, names });

    calls.length = 0;
    const again = await orchestrator().execute();
    expect(again.nodes.count?.status).toBe("cached");
    expect(again.nodes.use?.status).toBe("cached");
    expect(calls).toEqual([]);
    await again.tracker.settled();
    expect(again.tracker.step("count")?.afterSnapshot?.value).toMatchObject({ type: "object", preview: expect.stringMatching(/^\{"n":3,"names":\["a","b","name-0",/) });
  });

  it("refuses a value where a table is needed: a SQL step, a write step, checks", async () => {
    const steps: Step[] = [
      { name: "total", outputs: ["total"], run: () => 42 },
      { name: "query", inputs: { t: "total" }, outputs: ["q"], sql: "SELECT * FROM t" },
      { name: "store", inputs: ["total"], write: "out/total.csv" },
      { name: "checked", outputs: ["checked"], run: () => 1, checks: [{ kind: "row_count", min: 1 }] },
    ];
    const result = await testOrchestrator({ steps, baseDir: tempDir(), continueOnError: true }).execute();
    expect(result.nodes.total?.status).toBe("success");
    expect(result.nodes.query?.error?.message).toContain(
      'Cannot read value dataset "total" as a table in sql step "query": it holds a JSON number, not rows. Read it in a run step (it arrives as it is), or have its producer return rows (an array of objects).',
    );
    expect(result.nodes.store?.error?.message).toContain('Cannot read value dataset "total" as a table in write step "store": it holds a JSON number, not rows.');
    expect(result.nodes.checked?.error?.message).toContain('Cannot read value dataset "checked" as a table in the checks of step "checked" (checks apply to tables)');
  });

  it("tells rows from values: rows are plain objects only, a value holds none, mixing is an error; non-JSON values are errors", async () => {
    const outcome = async (value: () => unknown): Promise<string> => {
      const result = await testOrchestrator({ steps: [{ name: "s", outputs: ["out"], run: value as () => never }] }).execute();
      const handle = result.dataMap.get("out");
      return result.nodes.s?.status === "success" ? `${handle?.kind}` : (result.nodes.s?.error?.message ?? "");
    };
    expect(await outcome(() => [{ a: 1 }, { a: 2 }])).toBe("table");
    expect(await outcome(() => [1, 2, 3])).toBe("value");
    expect(await outcome(() => [["a", 1], ["b", 2]])).toBe("value");
    expect(await outcome(() => ({ a: [1, 2] }))).toBe("value");
    expect(await outcome(() => null)).toBe("value");
    expect(await outcome(() => true)).toBe("value");
    expect(await outcome(() => [{ a: 1 }, 2])).toContain('output "out" is an array whose item 1 is a number, not a row object. Rows are an array of plain objects only; an array of no objects at all (numbers, strings, lists) is a value.');
    expect(await outcome(() => ({ when: new Date(0) }))).toContain('output "out" is not a plain JSON value: at $.when, a Date is not a JSON value (convert it: a Date to an ISO string, a Map to an object). Return plain JSON');
    expect(await outcome(() => [1, Number.NaN])).toContain("at $[1], NaN is not a JSON number");
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(await outcome(() => cyclic)).toContain("at $.self, a circular reference");
    expect(await outcome(() => undefined)).toContain('output "out" is undefined');
    expect(await outcome(() => [])).toContain('output "out" is an empty array, which carries no schema: linea cannot store it or query it. Declare its columns on the step (columns: { out: { id: "BIGINT" } })');
  });

  it("makes an empty array with declared columns a table with those columns and no rows, readable by SQL", async () => {
    const steps: Step[] = [
      { name: "none", outputs: ["none"], columns: { none: { id: "BIGINT", amount: "DECIMAL(18,2)", label: "varchar" } }, run: () => [] },
      { name: "count", inputs: { n: "none" }, outputs: ["count"], sql: "SELECT count(*) AS rows, sum(amount) AS total FROM n" },
      { name: "some", outputs: ["some"], columns: { some: { id: "BIGINT" } }, run: () => [{ id: 1, extra: 2 }] },
    ];
    const result = await testOrchestrator({ steps, continueOnError: true }).execute();
    expect(result.nodes.none?.status).toBe("success");
    expect(await result.dataMap.get("none")?.schema()).toEqual([{ name: "id", type: "BIGINT" }, { name: "amount", type: "DECIMAL(18,2)" }, { name: "label", type: "VARCHAR" }]);
    expect(await result.dataMap.get("none")?.rowCount()).toBe(0);
    expect(await result.dataMap.get("count")?.toRows()).toEqual([{ rows: 0n, total: null }].map((r) => ({ ...r, rows: 0 })));
    expect(result.nodes.some?.error?.message).toContain('output "some" has undeclared column "extra". Return the declared columns, or change `columns`.');
  });

  it("validates declared columns when the step is declared", () => {
    const problems = (step: Record<string, unknown>): string => {
      try {
        defineStep(step as unknown as Step);
        return "";
      } catch (error) {
        return error instanceof StepDefinitionError ? error.message : String(error);
      }
    };
    expect(problems({ name: "a", outputs: ["x"], columns: { y: { id: "BIGINT" } }, run: () => [] })).toContain('`columns` names "y", which is not one of the step\'s outputs ("x")');
    expect(problems({ name: "a", outputs: ["x"], columns: { x: { id: "BIGNUM" } }, run: () => [] })).toContain('`columns.x` has unknown types: id: "BIGNUM"');
    expect(problems({ name: "a", outputs: ["x"], columns: { x: {} }, run: () => [] })).toContain('`columns.x` must be a non-empty object of { column: "TYPE" }');
    expect(problems({ name: "a", outputs: ["x"], columns: { x: { id: "BIGINT" } }, sql: "SELECT 1 AS id" })).toContain("`columns` applies only to run steps");
    expect(problems({ name: "a", outputs: ["x"], columns: { x: { id: "BIGINT", at: "TIMESTAMP WITH TIME ZONE", tags: "VARCHAR[]" } }, run: () => [] })).toBe("");
  });
});
