import type { Step } from "linea";

/** Reads the three exports. `dataDir` is relative to the pipeline's base folder. */
export function ingestSteps(dataDir = "fixtures"): Step[] {
  return [
    {
      layer: "ingest", name: "read_customers", read: `${dataDir}/customers.csv`, outputs: ["raw_customers"],
      // The export has flaws; these are reported, not fatal.
      checks: [
        { kind: "unique", column: "customer_id", severity: "warn" },
        { kind: "not_null", column: "email", severity: "warn" },
      ],
    },
    { layer: "ingest", name: "read_orders", read: `${dataDir}/orders.csv`, outputs: ["raw_orders"] },
    { layer: "ingest", name: "read_products", read: `${dataDir}/products.csv`, outputs: ["raw_products"] },
  ];
}
