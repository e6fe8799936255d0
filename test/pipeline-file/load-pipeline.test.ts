import { copyFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPipeline, type LoadedPipeline } from "../../src/index.js";
import { ROOT, tempDir } from "../helpers/temp-dir.js";

const ROOT_DIR = resolve(ROOT);
const FIXTURES = join(ROOT_DIR, "test/fixtures-pipelines");

const stepNames = (pipeline: LoadedPipeline): string[] => pipeline.steps.map((step) => step.name);

describe("loadPipeline: YAML and JSON pipeline files", () => {
  it("loads the YAML example: steps as written, the run body imported, baseDir resolved against the file's folder", async () => {
    const pipeline = await loadPipeline("test/fixtures-pipelines/customer.yaml", { cwd: ROOT });
    expect(pipeline.kind).toBe("yaml");
    expect(pipeline.path).toBe(join(FIXTURES, "customer.yaml"));
    expect(pipeline.name).toBe("customer_pipeline_yaml");
    expect(pipeline.options).toEqual({ maxWorkers: 4, redact: ["email"], baseDir: ROOT_DIR });
    expect(stepNames(pipeline)).toEqual([
      "read_customers", "read_orders", "read_products", "valid_orders", "enrich_orders", "customer_revenue",
      "category_summary", "category_share", "write_enriched_orders", "write_customer_revenue", "write_category_share",
    ]);
    const [readCustomers] = pipeline.steps;
    expect(readCustomers).toEqual({
      name: "read_customers", layer: "ingest", read: "fixtures/customers.csv", outputs: ["raw_customers"],
      checks: [
        { kind: "unique", column: "customer_id", severity: "warn" },
        { kind: "not_null", column: "email", severity: "warn" },
      ],
    });
    const share = pipeline.steps.find((step) => step.name === "category_share");
    const { categoryShare } = await import("../fixtures-pipelines/share.js");
    expect(share).toMatchObject({ engine: "danfo", inputs: { df: "category_summary" }, params: { bigShare: 0.05 } });
    expect(share?.run).toBe(categoryShare);
    expect(pipeline.steps.find((step) => step.name === "write_category_share")?.write).toBe("lineage-out/customer_yaml/category_share.csv");
  });

  it("loads the JSON example: a default export for a run body without `export`, option folders resolved against baseDir", async () => {
    const pipeline = await loadPipeline(join(FIXTURES, "orders.json"));
    expect(pipeline.kind).toBe("json");
    expect(pipeline.name).toBe("orders_by_status");
    expect(pipeline.options).toEqual({
      maxWorkers: 2, continueOnError: true, retry: { maxRetries: 1, delayMs: 10 }, sampleRows: 3,
      baseDir: ROOT_DIR, cacheDir: join(ROOT_DIR, ".linea/orders-cache"), historyDb: false,
    });
    const { default: statusShare } = await import("../fixtures-pipelines/status-share.js");
    expect(pipeline.steps.find((step) => step.name === "status_share")?.run).toBe(statusShare);
    expect(pipeline.steps[0]?.read).toEqual({ path: "fixtures/orders.csv", format: "csv", options: { types: { qty: "BIGINT" } } });
  });

  it("defaults baseDir to the file's folder, reads .yml as YAML, and resolves a relative path against `cwd`", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "p.yml"), [
      "name: small",
      "options: { checkpointDir: state/checkpoints, historyDb: state/history.duckdb }",
      "steps:",
      "  - { name: read, read: data/orders.csv, outputs: [orders] }",
      "  - { name: count, inputs: [orders], sql: SELECT count(*) AS n FROM orders, outputs: [n] }",
    ].join("\n"));
    const pipeline = await loadPipeline("p.yml", { cwd: dir });
    expect(pipeline).toMatchObject({ kind: "yaml", name: "small", path: join(dir, "p.yml") });
    expect(pipeline.options).toEqual({
      baseDir: dir, checkpointDir: join(dir, "state/checkpoints"), historyDb: join(dir, "state/history.duckdb"),
    });
    expect(pipeline.steps[0]?.read).toBe("data/orders.csv");
  });

  it("takes the persistence policy's options, and names a wrong one", async () => {
    const dir = tempDir();
    const file = (options: string): string => {
      writeFileSync(join(dir, "p.yml"), [
        "name: small",
        `options: ${options}`,
        "steps:",
        "  - { name: n, sql: SELECT 1 AS one, outputs: [n] }",
      ].join("\n"));
      return join(dir, "p.yml");
    };
    const pipeline = await loadPipeline(file("{ persist: auto, persistSmallCells: 10, persistWriteNsPerCell: 40, persistRecomputeFactor: 1.5 }"));
    expect(pipeline.options).toEqual({ baseDir: dir, persist: "auto", persistSmallCells: 10, persistWriteNsPerCell: 40, persistRecomputeFactor: 1.5 });
    await expect(loadPipeline(file("{ persistRecomputeFactor: -1 }"))).rejects.toThrow(/persistRecomputeFactor/);
    await expect(loadPipeline(file("{ persist: some }"))).rejects.toThrow(/persist/);
  });
});

describe("loadPipeline: TypeScript and JavaScript modules", () => {
  it("loads the example module; without a baseDir export its paths are relative to `cwd`", async () => {
    const pipeline = await loadPipeline("steps/pipeline.ts", { cwd: ROOT });
    expect(pipeline.kind).toBe("module");
    expect(pipeline.name).toBe("customer_pipeline");
    expect(pipeline.path).toBe(join(ROOT_DIR, "steps/pipeline.ts"));
    expect(pipeline.options).toEqual({ baseDir: ROOT_DIR });
    expect(pipeline.steps).toHaveLength(11);
    expect(pipeline.steps[0]?.read).toBe("fixtures/customers.csv");

    const elsewhere = tempDir();
    expect((await loadPipeline(join(ROOT, "steps/pipeline.ts"), { cwd: elsewhere })).options.baseDir).toBe(elsewhere);
  });

  it("takes `name` from the file's base name, and `baseDir` and `options` from the module (baseDir relative to its folder)", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "nightly.mjs"), [
      'export const steps = [{ name: "read", read: "orders.csv", outputs: ["orders"] }];',
      'export const baseDir = "../data";',
      "export const options = { maxWorkers: 2, continueOnError: true };",
    ].join("\n"));
    const pipeline = await loadPipeline(join(dir, "nightly.mjs"));
    expect(pipeline).toMatchObject({ kind: "module", name: "nightly" });
    expect(pipeline.options).toEqual({ maxWorkers: 2, continueOnError: true, baseDir: join(dir, "../data") });
  });

  it("resolves a module's options.baseDir against its folder too", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "p.js"), 'export const name = "p"; export const steps = []; export const options = { baseDir: "." };');
    expect((await loadPipeline(join(dir, "p.js"))).options).toEqual({ baseDir: dir });
  });

  it("loads the same steps from a copy of a YAML file anywhere, since its paths follow the file", async () => {
    const dir = tempDir();
    copyFileSync(join(FIXTURES, "orders.json"), join(dir, "orders.json"));
    copyFileSync(join(FIXTURES, "status-share.ts"), join(dir, "status-share.ts"));
    const pipeline = await loadPipeline(join(dir, "orders.json"));
    expect(pipeline.options.baseDir).toBe(join(dir, "../.."));
    expect(stepNames(pipeline)).toEqual(["read_orders", "status_counts", "status_share", "write_status_share"]);
  });
});
