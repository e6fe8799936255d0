import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir, testOrchestrator } from "../../helpers/temp-dir.js";

describe("HTML report: column lineage", () => {
  it("shows each step's column lineage and every column's ancestry, escaped, without scripts", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "orders.csv"), "order_id,qty\n1,2\n2,5\n");
    const result = await testOrchestrator({
      name: "html", baseDir: dir,
      steps: [
        { name: "read_orders", read: "orders.csv", outputs: ["orders"] },
        { name: "double", inputs: { o: "orders" }, outputs: ["doubled"], sql: `SELECT qty * 2 AS "<b>x</b>" FROM o WHERE order_id > 0` },
      ],
    }).execute();
    expect(result.status).toBe("success");
    const page = await result.tracker.toHtml();
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toContain("<b>x</b>");
    expect(page).toContain("<h4>Column lineage <span class=\"muted\">(sql)</span></h4>");
    expect(page).toContain("<td>&lt;b&gt;x&lt;/b&gt;</td><td>orders.qty (TRANSFORMATION)</td>");
    expect(page).toContain("<p>Whole dataset: orders.order_id (FILTER)</p>");
    expect(page).toContain(`<details class="ancestry"><summary><code>doubled.&lt;b&gt;x&lt;/b&gt;</code></summary><ul><li><code>orders.qty</code><span class="muted"> ← double: TRANSFORMATION</span><ul><li><code>${join(dir, "orders.csv")}.qty</code>`.replace(join(dir, "orders.csv"), "orders.csv"));
  });
});
