import { describe, expect, it } from "vitest";
import { StepFailedError, StepTimeoutError, type Row, type Step } from "../../../src/index.js";
import { testOrchestrator } from "../../helpers/temp-dir.js";

const orders: Row[] = [
  { order_id: 1, customer_id: 10, qty: 2, status: "completed" },
  { order_id: 2, customer_id: 11, qty: 5, status: "pending" },
  { order_id: 3, customer_id: 10, qty: 7, status: "completed" },
];
const customers: Row[] = [{ customer_id: 10, segment: "consumer" }, { customer_id: 11, segment: "corporate" }];

describe("sql steps", () => {
  it("see each input as a table named by its local name, and keep the result in DuckDB", async () => {
    const steps: Step[] = [
      { name: "completed", inputs: { o: "orders" }, outputs: ["completed"], sql: "SELECT * FROM o WHERE status = 'completed';" },
      { name: "enrich", inputs: { o: "completed", c: "customers" }, outputs: ["enriched"], sql: "SELECT o.*, c.segment FROM o JOIN c USING (customer_id) ORDER BY order_id" },
    ];
    const result = await testOrchestrator({ steps }).execute({ sources: { orders, customers } });
    expect(result.status).toBe("success");
    const enriched = result.dataMap.get("enriched");
    expect(enriched?.form).toBe("duckdb");
    expect(await enriched?.rowCount()).toBe(2);
    expect(await enriched?.toRows()).toEqual([
      { order_id: 1, customer_id: 10, qty: 2, status: "completed", segment: "consumer" },
      { order_id: 3, customer_id: 10, qty: 7, status: "completed", segment: "consumer" },
    ]);
    expect(result.nodes.completed?.rowCounts).toEqual({ completed: 2 });
  });

  it("scope input names to the step: concurrent steps with the same local name never collide", async () => {
    const slowly = (n: number): string => `SELECT v, (SELECT count(*) FROM range(${n})) AS pad FROM t`;
    const steps: Step[] = [
      { name: "left", inputs: { t: "a" }, outputs: ["left_out"], sql: slowly(3_000_000) },
      { name: "right", inputs: { t: "b" }, outputs: ["right_out"], sql: slowly(1_000_000) },
    ];
    const result = await testOrchestrator({ steps, maxWorkers: 2 }).execute({ sources: { a: [{ v: "from a" }], b: [{ v: "from b" }] } });
    expect((await result.dataMap.get("left_out")?.toRows())?.[0]?.v).toBe("from a");
    expect((await result.dataMap.get("right_out")?.toRows())?.[0]?.v).toBe("from b");
  });

  it("keep DuckDB's message and name the step on a syntax error", async () => {
    const steps: Step[] = [{ name: "broken", inputs: { o: "orders" }, outputs: ["x"], sql: "SELEC * FROM o" }];
    const result = await testOrchestrator({ steps }).execute({ sources: { orders } });
    const error = result.nodes.broken?.error;
    expect(error).toBeInstanceOf(StepFailedError);
    expect(error?.message).toMatch(/^Step "broken" failed: .*Parser Error: syntax error at or near "SELEC"/s);
  });

  it("explain a table that is a dataset of the pipeline but not an input of the step", async () => {
    const steps: Step[] = [
      { name: "keep", inputs: { c: "customers" }, outputs: ["kept"], sql: "SELECT * FROM c" },
      { name: "sneaky", inputs: { o: "orders" }, outputs: ["x"], sql: "SELECT * FROM o JOIN kept USING (customer_id)" },
    ];
    const result = await testOrchestrator({ steps, continueOnError: true }).execute({ sources: { orders, customers } });
    const message = result.nodes.sneaky?.error?.message ?? "";
    expect(message).toContain("Catalog Error: Table with name kept does not exist!");
    expect(message).toContain('"kept" is a dataset of this pipeline but not an input of step "sneaky": add it to the step\'s inputs.');
  });

  it("suggest the local name for a typo", async () => {
    const steps: Step[] = [{ name: "typo", inputs: { orders: "orders" }, outputs: ["x"], sql: "SELECT * FROM order_s" }];
    const result = await testOrchestrator({ steps }).execute({ sources: { orders } });
    expect(result.nodes.typo?.error?.message).toContain('A sql step sees only its inputs, by local name: its inputs are "orders" (did you mean "orders"?).');
  });

  it("refuse more than one statement and statements that are not queries before the run (test/engines/duckdb/sql-body-problem.test.ts has the rest)", async () => {
    await expect(testOrchestrator({ steps: [{ name: "two", outputs: ["x"], sql: "SELECT 1; SELECT 2" }] }).execute()).rejects.toThrow(
      'Invalid step "two": `sql` must be exactly one SELECT query, found 2 statements',
    );
    await expect(testOrchestrator({ steps: [{ name: "drop", outputs: ["y"], sql: "DROP TABLE IF EXISTS nothing" }] }).execute()).rejects.toThrow(
      'Invalid step "drop": `sql` must be exactly one SELECT query, found a statement that is not a query',
    );
  });

  it("interrupt a long query when the step times out", async () => {
    const steps: Step[] = [{ name: "forever", outputs: ["x"], timeoutMs: 200, sql: "SELECT count(*) FROM range(100000000000)" }];
    // Not interrupted, the query would run for hours: execute() (and the test) would not end.
    const result = await testOrchestrator({ steps }).execute();
    expect(result.nodes.forever?.error).toBeInstanceOf(StepTimeoutError);
  });
});
