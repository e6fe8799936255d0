import type { Step } from "../../src/index.js";
import { sleep } from "../../src/util/sleep.js";

/**
 * The pipeline the crash test kills: reads, SQL, slow run steps (so that kills land in every phase:
 * mid-step, mid-write of a stored result, between steps) and writes.
 */
export function crashSteps(): Step[] {
  const slow = (ms: number) => async (inputs: Record<string, unknown[]>, ctx: { signal: AbortSignal }) => {
    await sleep(ms, ctx.signal);
    return Object.values(inputs)[0] as Array<Record<string, unknown>>;
  };
  return [
    { name: "read_orders", read: "orders.csv", outputs: ["orders"] },
    { name: "read_customers", read: "customers.csv", outputs: ["customers"] },
    { name: "valid", inputs: { o: "orders" }, outputs: ["valid"], sql: "SELECT * FROM o WHERE lower(status) = 'completed' AND customer_id IS NOT NULL AND qty > 0" },
    { name: "pause_1", inputs: { v: "valid" }, outputs: ["valid_slow"], run: slow(120) as never },
    { name: "joined", inputs: { v: "valid_slow", c: "customers" }, outputs: ["joined"], sql: "SELECT v.*, c.segment FROM v JOIN (SELECT DISTINCT ON (customer_id) * FROM c ORDER BY customer_id) c USING (customer_id)" },
    { name: "by_segment", inputs: { j: "joined" }, outputs: ["by_segment"], sql: "SELECT segment, count(*) AS orders, sum(qty) AS items FROM j GROUP BY segment ORDER BY segment" },
    { name: "by_day", inputs: { j: "joined" }, outputs: ["by_day"], sql: "SELECT order_date, count(*) AS orders FROM j GROUP BY order_date ORDER BY order_date" },
    { name: "pause_2", inputs: { s: "by_segment" }, outputs: ["segment_slow"], run: slow(150) as never },
    { name: "pause_3", inputs: { d: "by_day" }, outputs: ["day_slow"], run: slow(90) as never },
    { name: "write_segments", inputs: ["segment_slow"], write: "out/segments.csv" },
    { name: "write_days", inputs: ["day_slow"], write: "out/days.csv" },
    { name: "write_joined", inputs: { j: "joined" }, write: "out/joined.parquet" },
  ];
}
