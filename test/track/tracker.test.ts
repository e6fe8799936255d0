import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REDACTED, type Row, type Step } from "../../src/index.js";
import { expectValidLineage } from "../helpers/lineage-validator.js";
import { tempDir, testOrchestrator } from "../helpers/temp-dir.js";
import { sleep } from "../../src/util/sleep.js";

const orders: Row[] = [
  { order_id: 1, customer_id: 10, qty: 2, email: "a@x.org" },
  { order_id: 2, customer_id: 11, qty: 5, email: "b@x.org" },
  { order_id: 3, customer_id: 10, qty: 7, email: "c@x.org" },
];
const customers: Row[] = [{ customer_id: 10, segment: "consumer" }, { customer_id: 11, segment: "corporate" }];

const steps: Step[] = [
  { name: "big", inputs: { o: "orders" }, outputs: ["big"], sql: "SELECT order_id, customer_id, qty * 1.5 AS qty FROM o WHERE qty > 3" },
  { name: "join", inputs: { b: "big", c: "customers" }, outputs: ["joined"], sql: "SELECT b.*, c.segment FROM b JOIN c USING (customer_id)" },
  { name: "store", inputs: ["joined"], write: "out/joined.parquet" },
];

describe("tracker", () => {
  it("records snapshots of each input and output, the schema diff and the row delta", async () => {
    const dir = tempDir();
    const result = await testOrchestrator({ steps, baseDir: dir }).execute({ sources: { orders, customers } });
    const big = result.tracker.step("big");
    expect(big?.beforeSnapshots.o).toMatchObject({ dataset: "orders", rowCount: 3 });
    expect(big?.afterSnapshot).toMatchObject({ dataset: "big", rowCount: 2 });
    expect(big?.afterSnapshot?.sample).toEqual([{ order_id: 2, customer_id: 11, qty: 7.5 }, { order_id: 3, customer_id: 10, qty: 10.5 }]);
    expect(big?.schemaDiff).toEqual({
      added: [],
      removed: [{ name: "email", type: "VARCHAR" }],
      changed: [{ column: "qty", before: "BIGINT", after: "DECIMAL(21,1)" }],
    });
    expect(big?.rowDelta).toBe(-1);

    const join = result.tracker.step("join");
    expect(Object.keys(join?.beforeSnapshots ?? {})).toEqual(["b", "c"]);
    expect(join?.beforeSnapshot?.dataset).toBe("big");
    expect(join?.rowDelta).toBe(0);
    expect(join?.schemaDiff?.added).toEqual([{ name: "segment", type: "VARCHAR" }]);

    const store = result.tracker.step("store");
    expect(store?.afterSnapshots["out/joined.parquet"]?.rowCount).toBe(2);
    expect(store?.rowDelta).toBe(0);
  });

  it("shares one snapshot per dataset between its producer and consumers", async () => {
    const result = await testOrchestrator({ steps, baseDir: tempDir() }).execute({ sources: { orders, customers } });
    expect(result.tracker.step("join")?.beforeSnapshots.b).toBe(result.tracker.step("big")?.afterSnapshots.big);
  });

  it("gives whole records when read at once after the run: inputs' snapshots (tables probed in DuckDB too) and derived fields", async () => {
    // No sources: every input is a dataset of the run, whose snapshot its producer took; the consumers' records
    // file them when first read. Read synchronously right after the run, they equal those read after settled().
    const inRun: Step[] = [
      { name: "made", outputs: ["made"], sql: "SELECT range AS n, range % 3 AS k FROM range(10)" },
      { name: "rows", outputs: ["rows"], run: () => [{ n: 1, k: 0 }, { n: 2, k: 1 }] },
      { name: "both", inputs: { m: "made", r: "rows" }, outputs: ["both"], sql: "SELECT n, k FROM m UNION ALL SELECT n, k FROM r" },
      { name: "count", inputs: ["both"], outputs: ["count"], engine: "rows", run: ({ both }) => [{ rows: (both as Row[]).length }] },
    ];
    const first = await testOrchestrator({ steps: inRun }).execute();
    const both = first.tracker.step("both");
    expect(Object.keys(both?.beforeSnapshots ?? {})).toEqual(["m", "r"]);
    expect(both?.beforeSnapshots.m).toMatchObject({ dataset: "made", rowCount: 10 });
    expect(both?.beforeSnapshots.m).toBe(first.tracker.step("made")?.afterSnapshots.made);
    expect(both?.beforeSnapshot?.dataset).toBe("made");
    expect(both?.rowDelta).toBe(2);
    expect(first.tracker.step("count")?.beforeSnapshots.both).toMatchObject({ dataset: "both", rowCount: 12 });
    const atOnce = JSON.stringify(first.tracker.toLineage());
    await first.tracker.settled();
    expect(JSON.stringify(first.tracker.toLineage())).toBe(atOnce);
    // A second run's tracker, settled before it is first read, says the same (but its run's times and ids).
    const second = await testOrchestrator({ steps: inRun }).execute();
    await second.tracker.settled();
    const shape = (json: string): unknown => JSON.parse(json.replace(/"(start_time|end_time|execution_id|batch_run_id)":"[^"]*"|"(duration_ms|total_duration_ms)":[0-9.e-]+/g, '"$1$2":0'));
    expect(shape(JSON.stringify(second.tracker.toLineage()))).toEqual(shape(atOnce));
  });

  it("keeps records of concurrent steps apart", async () => {
    const parallel: Step[] = Array.from({ length: 6 }, (_, i) => ({
      name: `p${i}`, outputs: [`d${i}`], run: async () => {
        await sleep(10 * (6 - i));
        return Array.from({ length: i + 1 }, (_, k) => ({ k }));
      },
    }));
    const result = await testOrchestrator({ steps: parallel, maxWorkers: 6 }).execute();
    for (let i = 0; i < 6; i++) {
      const record = result.tracker.step(`p${i}`);
      expect(record?.afterSnapshot?.rowCount).toBe(i + 1);
      expect(record?.rowDelta).toBe(i + 1);
      expect(record?.schemaDiff?.added).toEqual([{ name: "k", type: "BIGINT" }]);
    }
  });

  it("takes no sample rows with sampleRows 0, and no snapshots with the tracker off", async () => {
    const none = await testOrchestrator({ steps, baseDir: tempDir(), sampleRows: 0 }).execute({ sources: { orders, customers } });
    expect(none.tracker.step("big")?.afterSnapshot?.sample).toEqual([]);
    const off = await testOrchestrator({ steps, baseDir: tempDir(), enableTracker: false }).execute({ sources: { orders, customers } });
    expect(off.tracker.step("big")).toMatchObject({ status: "success", afterSnapshot: undefined, attempts: 1 });
  });

  it("masks redacted columns in every snapshot and in the lineage", async () => {
    const dir = tempDir();
    const result = await testOrchestrator({ steps, baseDir: dir, redact: ["EMAIL"] }).execute({ sources: { orders, customers } });
    expect(result.tracker.step("big")?.beforeSnapshot?.sample.map((r) => r.email)).toEqual([REDACTED, REDACTED, REDACTED]);
    const document = await result.tracker.exportLineage(join(dir, "lineage.json"));
    const text = readFileSync(join(dir, "lineage.json"), "utf8");
    expect(text).not.toContain("a@x.org");
    expect(document.redacted_columns).toEqual(["EMAIL"]);
  });

  it("records failed, blocked and aborted steps with their reasons", async () => {
    const failing: Step[] = [
      { name: "ok", outputs: ["a"], run: () => [{ x: 1 }] },
      { name: "bad", inputs: ["a"], outputs: ["b"], retry: { maxRetries: 1, delayMs: 1 }, run: () => { throw new Error("boom"); } },
      { name: "after", inputs: ["b"], outputs: ["c"], run: ({ b }) => b ?? [] },
    ];
    const result = await testOrchestrator({ steps: failing, continueOnError: true }).execute();
    expect(result.tracker.step("bad")).toMatchObject({ status: "failed", attempts: 2, errorMessage: 'Step "bad" failed: boom' });
    expect(result.tracker.step("bad")?.attemptLog.map((a) => a.outcome)).toEqual(["failed", "failed"]);
    expect(result.tracker.step("after")).toMatchObject({ status: "skipped", kind: "blocked", blockedBy: "bad" });
    expectValidLineage(result.tracker.toLineage());
  });
});

describe("lineage JSON", () => {
  it("has the documented shape, validates against the schema, and lists datasets and edges", async () => {
    const dir = tempDir();
    const result = await testOrchestrator({ name: "shop", steps, baseDir: dir }).execute({ sources: { orders, customers } });
    const document = await result.tracker.exportLineage(join(dir, "lineage.json"));
    expectValidLineage(JSON.parse(readFileSync(join(dir, "lineage.json"), "utf8")));
    expect(document).toMatchObject({ pipeline_name: "shop", execution_id: result.runId, batch_run_id: result.batchRunId, status: "success" });
    const big = document.steps.find((s) => s.step_name === "big");
    expect(big?.before_snapshot?.schema).toEqual(["order_id: BIGINT", "customer_id: BIGINT", "qty: BIGINT", "email: VARCHAR"]);
    expect(big?.after_snapshot?.row_count).toBe(2);
    expect(big?.schema_diff).toEqual({ added: [], removed: ["email: VARCHAR"], changed: [{ column: "qty", before: "BIGINT", after: "DECIMAL(21,1)" }] });
    expect(document.datasets.map((d) => [d.name, d.kind, d.producer, d.consumers])).toEqual([
      ["customers", "source", null, ["join"]],
      ["orders", "source", null, ["big"]],
      ["big", "intermediate", "big", ["join"]],
      ["joined", "intermediate", "join", ["store"]],
      ["out/joined.parquet", "file", "store", []],
    ]);
    expect(document.edges).toEqual([{ from: "big", to: "join", dataset: "big" }, { from: "join", to: "store", dataset: "joined" }]);
  });

  it("writes JSON-safe values: big integers, dates, NaN, bytes", async () => {
    const dir = tempDir();
    const odd: Step[] = [{
      name: "odd", outputs: ["odd"],
      sql: "SELECT 9007199254740993::BIGINT AS big, DATE '2024-02-29' AS day, 'NaN'::DOUBLE AS nan, 'ab'::BLOB AS bytes, 12.5::DECIMAL(5,2) AS dec",
    }];
    const result = await testOrchestrator({ steps: odd }).execute();
    const document = await result.tracker.exportLineage(join(dir, "odd.json"));
    expectValidLineage(document);
    expect(document.steps[0]?.after_snapshot?.sample).toEqual([{ big: "9007199254740993", day: "2024-02-29", nan: "NaN", bytes: "YWI=", dec: 12.5 }]);
  });
});
