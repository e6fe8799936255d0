import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Step } from "../../../src/index.js";
import { ROOT, tempDir, testOrchestrator } from "../../helpers/temp-dir.js";

describe("read steps", () => {
  it("read the fixtures with formats from the extension, relative to the base folder", async () => {
    const steps: Step[] = [
      { name: "customers", read: "fixtures/customers.csv", outputs: ["customers"] },
      { name: "orders", read: { path: "fixtures/orders.csv", format: "csv" }, outputs: ["orders"] },
    ];
    const result = await testOrchestrator({ steps, baseDir: ROOT }).execute();
    expect(result.status).toBe("success");
    expect(await result.dataMap.get("customers")?.rowCount()).toBe(201);
    expect(await result.dataMap.get("orders")?.schema()).toEqual([
      { name: "order_id", type: "BIGINT" },
      { name: "customer_id", type: "BIGINT" },
      { name: "product_id", type: "BIGINT" },
      { name: "order_date", type: "DATE" },
      { name: "qty", type: "BIGINT" },
      { name: "status", type: "VARCHAR" },
      { name: "discount", type: "DOUBLE" },
    ]);
  });

  it("pass reader options to DuckDB", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "semi.csv"), "a;b\n1;x\n2;y\n");
    const steps: Step[] = [{ name: "semi", read: { path: "semi.csv", options: { delim: ";" } }, outputs: ["semi"] }];
    const result = await testOrchestrator({ steps, baseDir: dir }).execute();
    expect(await result.dataMap.get("semi")?.toRows()).toEqual([{ a: 1, b: "x" }, { a: 2, b: "y" }]);
  });

  it("fail only the step on a missing file, keeping DuckDB's message", async () => {
    const dir = tempDir();
    const steps: Step[] = [
      { name: "missing", read: "nope/absent.csv", outputs: ["m"] },
      { name: "fine", outputs: ["f"], run: () => [{ ok: true }] },
    ];
    const result = await testOrchestrator({ steps, baseDir: dir, continueOnError: true }).execute();
    expect(result.nodes.missing?.error?.message).toMatch(/^Step "missing" failed: IO Error: No files found that match the pattern ".*absent\.csv"/);
    expect(result.nodes.fine?.status).toBe("success");
  });

  it("fail on a malformed CSV with DuckDB's own explanation", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "bad.csv"), "id,qty\n1,2\n2,x\n");
    const steps: Step[] = [{ name: "bad", read: { path: "bad.csv", options: { types: { qty: "BIGINT" } } }, outputs: ["b"] }];
    const result = await testOrchestrator({ steps, baseDir: dir }).execute();
    expect(result.nodes.bad?.error?.message).toMatch(/^Step "bad" failed: .*CSV Error on Line: 3/s);
    expect(result.nodes.bad?.error?.message).toContain('Could not convert string "x" to \'BIGINT\'');
  });
});

describe("write steps", () => {
  for (const format of ["parquet", "csv", "json"] as const) {
    it(`write ${format} that reads back equal`, async () => {
      const dir = tempDir();
      const file = `out/data.${format}`;
      const rows = [{ id: 1, name: "a", price: 1.5 }, { id: 2, name: "b", price: 2.25 }];
      const steps: Step[] = [
        { name: "store", inputs: ["data"], write: file },
        { name: "back", read: file, outputs: ["back"] },
      ];
      // The read waits for the write by being a second run.
      await testOrchestrator({ steps: [steps[0] as Step], baseDir: dir }).execute({ sources: { data: rows } });
      const result = await testOrchestrator({ steps: [steps[1] as Step], baseDir: dir }).execute();
      expect(await result.dataMap.get("back")?.toRows()).toEqual(rows);
      expect(readdirSync(join(dir, "out"))).toEqual([`data.${format}`]);
    });
  }

  it("leave no partial file and the old file untouched when a write fails", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "report.csv"), "old contents\n");
    const steps: Step[] = [{ name: "store", inputs: ["data"], write: { path: "report.csv", options: { no_such_option: 1 } } }];
    const result = await testOrchestrator({ steps, baseDir: dir }).execute({ sources: { data: [{ a: 1 }] } });
    expect(result.nodes.store?.status).toBe("failed");
    expect(result.nodes.store?.error?.message).toMatch(/^Step "store" failed: /);
    expect(readFileSync(join(dir, "report.csv"), "utf8")).toBe("old contents\n");
    expect(readdirSync(dir)).toEqual(["report.csv"]);
  });

  it("write JSON Lines for .jsonl and an array for .json", async () => {
    const dir = tempDir();
    const steps: Step[] = [
      { name: "lines", inputs: ["data"], write: "a.jsonl" },
      { name: "array", inputs: ["data"], write: "b.json" },
    ];
    await testOrchestrator({ steps, baseDir: dir }).execute({ sources: { data: [{ a: 1 }, { a: 2 }] } });
    expect(readFileSync(join(dir, "a.jsonl"), "utf8").trim().split("\n")).toEqual(['{"a":1}', '{"a":2}']);
    expect(JSON.parse(readFileSync(join(dir, "b.json"), "utf8"))).toEqual([{ a: 1 }, { a: 2 }]);
    expect(existsSync(join(dir, "a.jsonl"))).toBe(true);
  });
});
