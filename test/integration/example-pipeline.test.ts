import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pipelineSteps, name } from "../../steps/pipeline.js";
import { ROOT, tempDir, testOrchestrator } from "../helpers/temp-dir.js";
import { queryDuckDB } from "../helpers/query-duckdb.js";

describe("the example pipeline on fixtures/", () => {
  it("runs every step and writes its outputs, which agree with DuckDB queried directly", async () => {
    const out = tempDir();
    const steps = pipelineSteps({ dataDir: join(ROOT, "fixtures"), outDir: out });
    const result = await testOrchestrator({ name, steps, baseDir: ROOT, allowPaths: [out] }).execute();
    expect(result.status).toBe("success");
    expect(Object.keys(result.nodes)).toHaveLength(11);

    const fixtures = join(ROOT, "fixtures");
    const [expected] = await queryDuckDB(`
      SELECT count(*) AS orders, count(DISTINCT customer_id) AS customers
      FROM read_csv('${fixtures}/orders.csv')
      WHERE lower(status) = 'completed' AND customer_id IS NOT NULL AND qty > 0`);
    expect(await result.dataMap.get("valid_orders")?.rowCount()).toBe(Number(expected?.orders));
    expect(await result.dataMap.get("customer_revenue")?.rowCount()).toBe(Number(expected?.customers));

    const shares = (await result.dataMap.get("category_share")?.toRows()) ?? [];
    const total = shares.reduce((sum, r) => sum + (r.share as number), 0);
    expect(total).toBeCloseTo(1, 2);
    expect(shares.every((r) => r.big === ((r.share as number) > 0.05))).toBe(true);

    for (const file of ["enriched_orders.parquet", "customer_revenue.parquet", "category_share.csv"]) {
      expect(existsSync(join(out, file))).toBe(true);
    }
    const [written] = await queryDuckDB(`SELECT count(*) AS n, round(sum(revenue), 2) AS revenue FROM '${out}/customer_revenue.parquet'`);
    const [fromCsv] = await queryDuckDB(`SELECT round(sum(revenue), 2) AS revenue FROM read_csv('${out}/category_share.csv')`);
    expect(Number(written?.n)).toBe(Number(expected?.customers));
    expect(written?.revenue).toBeCloseTo(fromCsv?.revenue as number, 0);
    expect(readFileSync(join(out, "category_share.csv"), "utf8").split("\n")[0]).toBe("category,segment,orders,revenue,share,big");
  });
});
