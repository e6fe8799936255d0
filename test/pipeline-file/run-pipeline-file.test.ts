import { cpSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPipeline, type Row, type RunResult } from "../../src/index.js";
import { name as tsName, pipelineSteps } from "../../steps/pipeline.js";
import { ROOT, tempDir, testOrchestrator } from "../helpers/temp-dir.js";
import { queryDuckDB } from "../helpers/query-duckdb.js";

const FIXTURES = join(ROOT, "test/fixtures-pipelines");

/** A folder holding a copy of fixtures/, for a pipeline whose baseDir it becomes (so its writes land there). */
function workDir(): string {
  const dir = tempDir();
  cpSync(join(ROOT, "fixtures"), join(dir, "fixtures"), { recursive: true });
  return dir;
}

const canonical = (row: Row): string => JSON.stringify(row, (_key, value: unknown) => (typeof value === "bigint" ? `${value}n` : value));

/** A dataset's rows in a canonical order (SQL without ORDER BY gives them in any order). */
async function rowsOf(result: RunResult, dataset: string): Promise<Row[]> {
  const rows = (await result.dataMap.get(dataset)?.toRows()) ?? [];
  return [...rows].sort((a, b) => canonical(a).localeCompare(canonical(b)));
}

describe("running a loaded pipeline file", () => {
  it("runs the YAML example, which gives the same datasets and files as the TypeScript example on the same data", async () => {
    const pipeline = await loadPipeline(join(FIXTURES, "customer.yaml"));
    const yamlDir = workDir();
    const yamlRun = await testOrchestrator({ name: pipeline.name, steps: pipeline.steps, ...pipeline.options, baseDir: yamlDir }).execute();

    const tsOut = tempDir();
    const tsSteps = pipelineSteps({ dataDir: join(yamlDir, "fixtures"), outDir: tsOut });
    const tsRun = await testOrchestrator({ name: tsName, steps: tsSteps, baseDir: ROOT, allowPaths: [yamlDir, tsOut], maxWorkers: 4, redact: ["email"] }).execute();

    expect(yamlRun.status).toBe("success");
    expect(tsRun.status).toBe("success");
    expect(Object.keys(yamlRun.nodes)).toEqual(Object.keys(tsRun.nodes));
    for (const dataset of [
      "raw_customers", "raw_orders", "raw_products", "valid_orders", "enriched_orders", "customer_revenue", "category_summary", "category_share",
    ]) {
      expect(await rowsOf(yamlRun, dataset), dataset).toEqual(await rowsOf(tsRun, dataset));
    }
    const yamlOut = join(yamlDir, "lineage-out/customer_yaml");
    for (const file of ["enriched_orders.parquet", "customer_revenue.parquet"]) {
      expect(await queryDuckDB(`SELECT * FROM '${yamlOut}/${file}' ORDER BY ALL`), file).toEqual(await queryDuckDB(`SELECT * FROM '${tsOut}/${file}' ORDER BY ALL`));
    }
    expect(readFileSync(join(yamlOut, "category_share.csv"), "utf8")).toBe(readFileSync(join(tsOut, "category_share.csv"), "utf8"));
    // The warn-level checks on the customers export report the same flaws.
    const checks = (result: RunResult): unknown => result.tracker.stepExecutions.find((e) => e.stepName === "read_customers")?.checks;
    expect(checks(yamlRun)).toHaveLength(2);
    expect(checks(yamlRun)).toEqual(checks(tsRun));
  });

  it("runs the JSON example, whose run body is a module's default export", async () => {
    const pipeline = await loadPipeline(join(FIXTURES, "orders.json"));
    const dir = workDir();
    const result = await testOrchestrator({ name: pipeline.name, steps: pipeline.steps, ...pipeline.options, baseDir: dir, cache: false }).execute();
    expect(result.status).toBe("success");
    const shares = await rowsOf(result, "status_share");
    expect(shares.map((row) => row.status)).toEqual(["cancelled", "completed", "pending", "returned"]);
    expect(shares.reduce((sum, row) => sum + (row.share as number), 0)).toBeCloseTo(1, 3);
    const [written] = await queryDuckDB(`SELECT count(*) AS n FROM read_json('${dir}/lineage-out/orders_by_status/status_share.json')`);
    expect(Number(written?.n)).toBe(shares.length);
  });
});
