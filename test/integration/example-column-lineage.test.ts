import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pipelineSteps, name } from "../../steps/pipeline.js";
import type { ColumnTreeNode } from "../../src/lineage/column-tree.js";
import { ROOT, tempDir, testOrchestrator } from "../helpers/temp-dir.js";

/** Every root-to-leaf path of a tree, as `dataset.column <-[step SUBTYPE]- ...`. */
function paths(node: ColumnTreeNode): string[] {
  const here = `${node.dataset}.${node.column}`;
  if (node.children.length === 0) return [here + (node.stop ? ` (${node.stop.split(":")[0]})` : "")];
  return node.children.flatMap((child) =>
    paths(child).map((rest) => `${here} <-[${child.step} ${child.transformations?.map((t) => t.subtype).join("+")}]- ${rest}`));
}

describe("column lineage of the example pipeline", () => {
  it("traces a written Parquet column back to source CSV columns, and a CSV column forward to it", async () => {
    const out = tempDir();
    const dataDir = join(ROOT, "fixtures");
    const steps = pipelineSteps({ dataDir, outDir: out });
    const result = await testOrchestrator({ name, steps, baseDir: ROOT, allowPaths: [out] }).execute();
    expect(result.status).toBe("success");
    const parquet = `${out}/enriched_orders.parquet`;
    const orders = `${dataDir}/orders.csv`;
    const products = `${dataDir}/products.csv`;

    const upstream = result.tracker.columnLineage(parquet, "revenue");
    expect(paths(upstream).sort()).toEqual([
      `${parquet}.revenue <-[write_enriched_orders IDENTITY]- enriched_orders.revenue <-[enrich_orders TRANSFORMATION]- raw_products.unit_price <-[read_products IDENTITY]- ${products}.unit_price`,
      `${parquet}.revenue <-[write_enriched_orders IDENTITY]- enriched_orders.revenue <-[enrich_orders TRANSFORMATION]- valid_orders.discount <-[valid_orders IDENTITY]- raw_orders.discount <-[read_orders IDENTITY]- ${orders}.discount`,
      `${parquet}.revenue <-[write_enriched_orders IDENTITY]- enriched_orders.revenue <-[enrich_orders TRANSFORMATION]- valid_orders.qty <-[valid_orders IDENTITY]- raw_orders.qty <-[read_orders IDENTITY]- ${orders}.qty`,
    ]);

    const impact = result.tracker.columnImpact(orders, "qty");
    const reached = paths(impact).map((p) => p.split(" ").at(-1));
    expect(reached).toContain(`${parquet}.revenue`);
    expect(reached).toContain(`${parquet}.qty`);
    expect(reached).toContain(`${out}/customer_revenue.parquet.items`);
    expect(reached).toContain(`${out}/customer_revenue.parquet.revenue`);

    // The lineage JSON: the SQL steps' lineage is derived, the danfo step is opaque, files are identity.
    const doc = result.tracker.toLineage();
    const step = (n: string) => doc.steps.find((s) => s.step_name === n);
    expect(step("enrich_orders")?.column_lineage_source).toBe("sql");
    expect(step("category_share")?.column_lineage_source).toBe("opaque");
    expect(step("read_orders")?.column_lineage_source).toBe("file");
    expect(step("valid_orders")?.column_lineage?.valid_orders?.dataset.map((f) => `${f.field}:${f.transformations[0]?.subtype}`).sort())
      .toEqual(["customer_id:FILTER", "qty:FILTER", "status:FILTER"]);
    const enrich = step("enrich_orders")?.column_lineage?.enriched_orders;
    expect(enrich?.fields.category).toEqual({ inputFields: [{ dataset: "raw_products", field: "category", transformations: [
      { type: "DIRECT", subtype: "IDENTITY" }, { type: "INDIRECT", subtype: "CONDITIONAL" }] }] });
    expect(enrich?.dataset.map((f) => `${f.dataset}.${f.field}:${f.transformations.map((t) => t.subtype).join("+")}`)).toEqual([
      "raw_customers.customer_id:JOIN", "raw_products.product_id:JOIN", "valid_orders.customer_id:JOIN", "valid_orders.product_id:JOIN",
    ]);
    // A column of the opaque step's output ends there, saying why.
    expect(result.tracker.columnLineage("category_share", "share").stop).toMatch(/step "category_share" is opaque/);
    expect(() => result.tracker.columnLineage("enriched_orders", "revenu")).toThrow(
      'Unknown column "enriched_orders.revenu": no step of the run produces or reads it. Did you mean "enriched_orders.revenue"?',
    );
  });
});
