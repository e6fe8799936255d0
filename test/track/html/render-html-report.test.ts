import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REDACTED, renderHtmlReport, type Row, type Step } from "../../../src/index.js";
import { sleep } from "../../../src/util/sleep.js";
import { name as exampleName, pipelineSteps } from "../../../steps/pipeline.js";
import { ROOT, tempDir, testOrchestrator } from "../../helpers/temp-dir.js";
import { fakeRun, record } from "./fake-run.js";

const orders: Row[] = [
  { order_id: 1, customer_id: 10, qty: 2, email: "ann@example.org" },
  { order_id: 2, customer_id: 11, qty: 5, email: "bob@example.org" },
  { order_id: 3, customer_id: null, qty: 7, email: "cy@example.org" },
];
const customers: Row[] = [{ customer_id: 10, segment: "consumer" }, { customer_id: 11, segment: "corporate" }];

const steps: Step[] = [
  {
    layer: "transform", name: "big", inputs: { o: "orders" }, outputs: ["big"],
    sql: "SELECT order_id, customer_id, CAST(qty AS DOUBLE) * 1.5 AS qty FROM o WHERE qty > 3",
    checks: [{ kind: "not_null", column: "customer_id", severity: "warn" }],
  },
  { layer: "transform", name: "join", inputs: { b: "big", c: "customers" }, outputs: ["joined"], sql: "SELECT b.*, c.segment FROM b JOIN c USING (customer_id)" },
  { layer: "store", name: "store", inputs: ["joined"], write: "out/joined.parquet" },
];

async function report(options: Parameters<typeof testOrchestrator>[0], sources: Record<string, Row[]> = {}): Promise<string> {
  const result = await testOrchestrator({ baseDir: tempDir(), ...options }).execute({ sources });
  await result.tracker.settled();
  return await renderHtmlReport(result.tracker);
}

/** The `data-*` times of every timeline bar, by step index. */
function bars(html: string): Map<number, { start: number; end: number }> {
  const found = [...html.matchAll(/<rect class="bar [^"]*"[^>]* data-step="(\d+)" data-start-ms="([\d.]+)" data-end-ms="([\d.]+)"/g)];
  return new Map(found.map((m) => [Number(m[1]), { start: Number(m[2]), end: Number(m[3]) }]));
}

const count = (html: string, needle: string): number => html.split(needle).length - 1;

describe("renderHtmlReport on a real run", () => {
  it("is one self-contained HTML5 document with a header, the DAG, the timeline and a panel per step", async () => {
    const html = await report({ name: "orders_pipeline", steps }, { orders, customers });
    expect(html.startsWith("<!DOCTYPE html>\n<html lang=\"en\">")).toBe(true);
    expect(html.trimEnd().endsWith("</html>")).toBe(true);
    expect(html).toContain("<h1>orders_pipeline</h1>");
    expect(html).toContain('<dt>status</dt><dd><span class="badge status-success">success</span></dd>');
    expect(html).toContain('<li class="badge status-success">3 success</li>');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\bsrc=|@import|url\(http/i);
    expect(html).toContain(`content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:"`);

    // The DAG: a node per step with its status, a node per source dataset, arrows labelled by dataset.
    for (const [i, layer] of [[0, "transform"], [1, "transform"], [2, "store"]] as const) {
      expect(html).toMatch(new RegExp(`<a href="#step-${i}" class="node status-success"><title>[a-z]+: success</title><rect [^>]+/><text class="node-name" [^>]+>[a-z]+</text><text class="node-meta" [^>]+>${layer} · success</text></a>`));
    }
    expect(html).toContain("<title>source dataset orders</title>");
    expect(html).toContain("<title>source dataset customers</title>");
    expect(html).toContain("<title>big → join: big</title>");
    expect(html).toContain("<title>join → store: joined</title>");
    expect(html).toContain("<title>orders → big: orders</title>");
    expect(count(html, '<g class="edge">')).toBe(4);

    // Panels: anchors by index, the body, snapshots, schema diff, row delta, checks, attempts.
    expect(count(html, '<details class="step status-success" id="step-')).toBe(3);
    expect(html).toContain('<pre class="sql"><code>SELECT order_id, customer_id, CAST(qty AS DOUBLE) * 1.5 AS qty FROM o WHERE qty &gt; 3</code></pre>');
    expect(html).toContain("<h5>input <code>orders</code> as <code>o</code>, 3 rows</h5>");
    expect(html).toContain("<h5>output <code>big</code>, 2 rows</h5>");
    expect(html).toContain("<h5>written file <code>out/joined.parquet</code> (dataset <code>joined</code>), 1 row</h5>");
    expect(html).toContain("<dt>path</dt><dd><code>out/joined.parquet</code></dd>");
    expect(html).toContain("<tr><td>removed</td><td>email</td><td>VARCHAR</td></tr>");
    expect(html).toContain("<tr><td>changed</td><td>qty</td><td>BIGINT → DOUBLE</td></tr>");
    expect(html).toContain("<tr><td>added</td><td>segment</td><td>VARCHAR</td></tr>");
    expect(html).toContain("Row delta: <strong>-1</strong>");
    expect(html).toContain('<span class="null">null</span>');
    expect(html).toContain("<td>7.5</td>");
    expect(html).toContain(
      '<tr><td><span class="check check-fail severity-warn">fail</span></td><td>warn</td><td>not_null(customer_id)</td><td>big</td><td>1 of 2 rows have a null customer_id</td><td class="num">1</td></tr>',
    );
    expect(html).toContain('<span class="check-flag">1 check not passed</span>');
    expect(html).toContain('<tr><td class="num">1</td><td><span class="outcome outcome-success">success</span></td><td></td><td></td></tr>');

    // The timeline: one bar per step that ran, each linking to its panel.
    expect([...bars(html).keys()].sort()).toEqual([0, 1, 2]);
    expect(html).toContain("3 steps ran over");
  });

  it("shows steps that ran at the same time as overlapping bars on the shared time axis", async () => {
    const slow = (name: string): Step => ({ name, outputs: [name], run: async () => { await sleep(80); return [{ n: 1 }]; } });
    const html = await report({ steps: [slow("left"), slow("right"), { name: "after", inputs: ["left", "right"], outputs: ["after"], sql: "SELECT 1 AS x" }], maxWorkers: 2 });
    const times = bars(html);
    const [left, right, after] = [times.get(0), times.get(1), times.get(2)];
    expect(left && right && after).toBeTruthy();
    expect(left!.start < right!.end && right!.start < left!.end).toBe(true);
    expect(after!.start).toBeGreaterThanOrEqual(Math.max(left!.end, right!.end));
    expect(html).toContain("at most 2 at once.");
  });

  it("escapes every value from data or the user: sample values, SQL, layers, error messages", async () => {
    const evil = `<script>alert(1)</script>"onload=`;
    const html = await report({
      continueOnError: true,
      steps: [
        { layer: evil, name: "echo", inputs: { t: "evil" }, outputs: ["echoed"], sql: `SELECT *, '${evil.replace(/'/g, "''")}' AS note FROM t` },
        { name: "boom", outputs: ["never"], run: () => { throw new Error(`bad value ${evil}`); } },
      ],
    }, { evil: [{ value: evil, [`col${evil}`]: 1 }] });
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('"onload=');
    expect(html).not.toContain("</script>");
    const escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;onload=";
    expect(count(html, "alert(1)")).toBe(count(html, "&lt;script&gt;alert(1)")); // long labels in the SVG are cut
    expect(count(html, escaped)).toBeGreaterThanOrEqual(6); // sample cell, column name, SQL, layer, error, attempt log
    expect(html).toContain('<text class="node-meta" x="');
    expect(html).toContain(">&lt;script&gt;alert(1)&lt;/s… · success</text>");
    expect(html).toContain(`<pre class="error">Step &quot;boom&quot; failed: bad value ${escaped}</pre>`);
    expect(html).toContain(`<span class="layer">${escaped}</span>`);
    // Only the report's own tags appear: no tag comes from data.
    const tags = new Set([...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1]!.toLowerCase()));
    const own = "html head meta title style body header main section footer h1 h2 h4 h5 p ul li dl dt dd div span a code pre strong time details summary table thead tbody tr th td svg defs marker path g rect text line";
    expect([...tags].filter((t) => !own.split(" ").includes(t))).toEqual([]);
  });

  it("shows the mask of redacted columns, never their values", async () => {
    const html = await report({ steps, redact: ["email"] }, { orders, customers });
    expect(html).toContain(`<span class="redacted">${REDACTED}</span>`);
    expect(html).toContain("<dt>redacted columns</dt><dd>email</dd>");
    for (const row of orders) expect(html).not.toContain(String(row.email));
  });

  it("shows a failure, the steps it blocked and the branch that still ran, with continue-on-error", async () => {
    const rows = (): Row[] => [{ a: 1 }];
    const html = await report({
      continueOnError: true,
      steps: [
        { name: "a", outputs: ["a"], run: rows },
        { name: "b", inputs: ["a"], outputs: ["b"], run: () => { throw new Error("b broke"); } },
        { name: "c", inputs: ["b"], outputs: ["c"], run: rows },
        { name: "d", outputs: ["d"], run: rows },
      ],
    });
    expect(html).toContain('<a href="#step-1" class="node status-failed"><title>b: failed</title>');
    expect(html).toContain('<a href="#step-2" class="node status-blocked"><title>c: skipped (blocked)</title>');
    expect(html).toContain('<a href="#step-3" class="node status-success"><title>d: success</title>');
    expect(html).toContain('<details class="step status-failed" id="step-1" open>');
    expect(html).toContain('<pre class="error">Step &quot;b&quot; failed: b broke</pre>');
    expect(html).toContain('<p class="why">Blocked by <a href="#step-1"><code>b</code></a>: an upstream step failed.</p>');
    expect(html).toContain('<li class="badge status-blocked">1 skipped (blocked)</li>');
    expect(html).toContain('<dt>status</dt><dd><span class="badge status-failed">failed</span></dd>');
    expect([...bars(html).keys()].sort()).toEqual([0, 1, 3]);
  });

  it("shows aborted steps after a fail-fast stop", async () => {
    const html = await report({
      maxWorkers: 1,
      steps: [
        { name: "boom", outputs: ["x"], run: () => { throw new Error("no"); } },
        { name: "later", outputs: ["y"], run: () => [{ a: 1 }] },
      ],
    });
    expect(html).toContain('<a href="#step-1" class="node status-aborted"><title>later: skipped (aborted)</title>');
    expect(html).toContain('<p class="why">Not started: an earlier failure stopped the run (fail-fast) before this step started.</p>');
  });

  it("renders the example pipeline: three layers of steps, every edge, every step's panel", async () => {
    const out = tempDir();
    const result = await testOrchestrator({ name: exampleName, steps: pipelineSteps({ dataDir: join(ROOT, "fixtures"), outDir: out }), baseDir: ROOT, allowPaths: [out] }).execute();
    await result.tracker.settled();
    const html = await renderHtmlReport(result.tracker);
    expect(count(html, 'class="node status-success"')).toBe(11);
    expect(count(html, '<g class="edge">')).toBe(result.plan.edges.length);
    expect(html).toContain("<title>read_orders → valid_orders: raw_orders</title>");
    expect(html).toContain("<title>enrich_orders → customer_revenue: enriched_orders</title>");
    expect(bars(html).size).toBe(11);
    expect(html).toMatch(/<h5>output <code>category_share<\/code>, 24 rows<\/h5>/);
    expect(html).toMatch(/<td>20\d\d-\d\d-\d\d<\/td>/); // DATE sample values as YYYY-MM-DD
    expect(html).not.toContain("T00:00:00.000Z</td>");
  });
});

describe("renderHtmlReport on runs a real run cannot make on demand", () => {
  it("draws a cached step as a marker and a pending one as pending", async () => {
    const html = await renderHtmlReport(fakeRun([
      record("hit", { status: "cached", cached: true, startTime: "2025-01-01T00:00:00.200Z", endTime: "2025-01-01T00:00:00.200Z" }),
      record("waiting"),
    ], { status: "running", endTime: undefined }));
    expect(html).toContain('<a href="#step-0" class="node status-cached"><title>hit: cached</title>');
    expect(html).toContain('<a href="#step-1" class="node status-pending"><title>waiting: pending</title>');
    expect(html).toContain('<path class="marker status-cached"');
    expect(html).not.toContain('<rect class="bar');
    expect(html).toContain('<dt>end</dt><dd>—</dd>');
  });
});
