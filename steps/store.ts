import type { Step } from "linea";

/** Writes the results. `outDir` is relative to the pipeline's base folder. */
export function storeSteps(outDir = "lineage-out"): Step[] {
  return [
    { layer: "store", name: "write_enriched_orders", inputs: ["enriched_orders"], write: `${outDir}/enriched_orders.parquet` },
    { layer: "store", name: "write_customer_revenue", inputs: ["customer_revenue"], write: `${outDir}/customer_revenue.parquet` },
    { layer: "store", name: "write_category_share", inputs: ["category_share"], write: `${outDir}/category_share.csv` },
  ];
}
