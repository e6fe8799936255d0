// The HTML report of a 50-step pipeline, rendered three times (the first loads ELK): how long the graph's
// layout takes and how large the drawing is. `npx tsx bench/report-graph.ts`
import { renderHtmlReport } from "../src/index.js";
import { fiftyStepRun } from "../test/track/html/fifty-step-run.js";

for (let i = 0; i < 3; i++) {
  const started = performance.now();
  const html = await renderHtmlReport(fiftyStepRun());
  const size = /<svg[^>]*class="dag" width="([\d.]+)" height="([\d.]+)"/.exec(html);
  console.log(`report of 50 steps: ${Math.round(performance.now() - started)} ms, graph ${size?.[1]} x ${size?.[2]} px, ${html.length} bytes`);
}
