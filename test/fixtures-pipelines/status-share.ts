// The run body of orders.json (its default export): each status's share of all orders.
import type { Row } from "../../src/index.js";

/** Adds `share`: the status's orders over all orders, 4 decimals. */
export default function statusShare({ counts }: { counts: Row[] }): Row[] {
  const total = counts.reduce((sum, row) => sum + Number(row.orders), 0);
  return counts.map((row) => ({ ...row, share: Math.round((Number(row.orders) / total) * 10_000) / 10_000 }));
}
