import type { StepExecution, TrackedBody } from "../step-execution.js";
import { factList } from "./fact-list.js";
import { html, type SafeHtml } from "./safe-html.js";

function bodyDetail(body: TrackedBody): SafeHtml | undefined {
  if (body.sql !== undefined) return html`<pre class="sql"><code>${body.sql}</code></pre>`;
  if (body.source !== undefined) {
    return html`<details class="source"><summary>function source</summary><pre class="code"><code>${body.source}</code></pre></details>`;
  }
  return undefined;
}

function datasets(step: StepExecution): SafeHtml {
  const inputs = step.inputs.map((i) => (i.local === i.dataset ? html`<code>${i.dataset}</code>` : html`<code>${i.dataset}</code> as <code>${i.local}</code>`));
  const outputs = step.outputs.map((o) => html`<code>${o}</code>`);
  const list = (items: readonly SafeHtml[]): SafeHtml => (items.length === 0 ? html`—` : html`${items.flatMap((item, i) => (i === 0 ? [item] : [html`, `, item]))}`);
  return factList([["reads", list(inputs)], ["outputs", list(outputs)]]);
}

/** What a step does: its body's kind, engine, file path and format, its SQL or function source, and the datasets it reads and outputs. */
export function stepBody(step: StepExecution): SafeHtml {
  const body = step.body;
  const facts = factList([
    ["body", body.kind],
    ["engine", body.engine],
    ["path", body.path === undefined ? undefined : html`<code>${body.path}</code>`],
    ["format", body.format],
  ]);
  return html`<h4>Body</h4>${facts}${bodyDetail(body)}${datasets(step)}`;
}
