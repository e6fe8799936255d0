import type { DataFrame } from "danfojs-node";
import { defineStep, type Step } from "linea";

// danfo's own types for the danfo step below (linea's declarations do not depend on danfojs-node's).
declare module "linea" {
  interface DanfoTypes {
    DataFrame: DataFrame;
  }
}

/** Completed orders of a known customer with a positive quantity ("COMPLETED" in upper case counts too). */
export const validOrders: Step = {
  layer: "transform",
  name: "valid_orders",
  inputs: { orders: "raw_orders" },
  sql: `SELECT * FROM orders
        WHERE lower(status) = 'completed' AND customer_id IS NOT NULL AND qty > 0`,
  outputs: ["valid_orders"],
  checks: [
    { kind: "not_null", column: "customer_id" },
    { kind: "unique", column: "order_id" },
    { kind: "expression", expression: "qty > 0 AND discount BETWEEN 0 AND 1" },
  ],
};

/** Each valid order with its customer's segment and country and its product's category and revenue. */
export const enrichOrders: Step = {
  layer: "transform",
  name: "enrich_orders",
  inputs: { o: "valid_orders", c: "raw_customers", p: "raw_products" },
  sql: `SELECT o.order_id, o.customer_id, o.product_id, o.order_date, o.qty, o.discount,
               c.segment, c.country, coalesce(p.category, 'uncategorized') AS category,
               round(o.qty * p.unit_price * (1 - o.discount), 2) AS revenue
        FROM o
        JOIN (SELECT DISTINCT ON (customer_id) * FROM c ORDER BY customer_id) c USING (customer_id)
        JOIN p USING (product_id)`,
  outputs: ["enriched_orders"],
  checks: [
    { kind: "row_count", min: 1 },
    { kind: "accepted_values", column: "segment", values: ["consumer", "corporate", "home_office", "small_business"] },
  ],
};

/** Revenue per customer. */
export const customerRevenue: Step = {
  layer: "transform",
  name: "customer_revenue",
  inputs: { e: "enriched_orders" },
  sql: `SELECT customer_id, any_value(segment) AS segment, any_value(country) AS country,
               count(*) AS orders, sum(qty) AS items, round(sum(revenue), 2) AS revenue,
               min(order_date) AS first_order, max(order_date) AS last_order
        FROM e GROUP BY customer_id`,
  outputs: ["customer_revenue"],
};

/** Revenue by product category and customer segment. */
export const categorySummary: Step = {
  layer: "transform",
  name: "category_summary",
  inputs: { e: "enriched_orders" },
  sql: `SELECT category, segment, count(*) AS orders, round(sum(revenue), 2) AS revenue
        FROM e GROUP BY category, segment ORDER BY category, segment`,
  outputs: ["category_summary"],
};

/** The danfo step: each category-segment's share of all revenue, and a flag for the big ones. */
export const categoryShare = defineStep({
  layer: "transform",
  name: "category_share",
  engine: "danfo",
  inputs: { df: "category_summary" },
  outputs: ["category_share"],
  params: { bigShare: 0.05 },
  run: ({ df }, ctx) => {
    const total = df["revenue"].sum() as number;
    df.addColumn("share", df["revenue"].div(total).round(4), { inplace: true });
    df.addColumn("big", df["share"].gt(ctx.params.bigShare as number), { inplace: true });
    return df;
  },
});

export const transformSteps: Step[] = [validOrders, enrichOrders, customerRevenue, categorySummary, categoryShare];
