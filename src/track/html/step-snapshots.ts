import type { StepExecution } from "../step-execution.js";
import { html, type SafeHtml } from "./safe-html.js";
import { snapshotSection } from "./snapshot-section.js";

function beforeHeading(step: StepExecution, local: string, dataset: string): SafeHtml {
  const input = step.inputs.find((i) => i.local === local);
  const alias = input !== undefined && input.dataset !== local ? html` as <code>${local}</code>` : "";
  return html`input <code>${input?.dataset ?? dataset}</code>${alias}`;
}

function afterHeading(step: StepExecution, key: string, dataset: string): SafeHtml {
  if (step.body.kind === "write" && key === step.body.path) return html`written file <code>${key}</code> (dataset <code>${dataset}</code>)`;
  return html`output <code>${key}</code>`;
}

/** A step's before snapshots (one per input) and after snapshots (one per output, or the written file). */
export function stepSnapshots(step: StepExecution): SafeHtml {
  const before = Object.entries(step.beforeSnapshots).map(([local, s]) => snapshotSection(beforeHeading(step, local, s.dataset), s));
  const after = Object.entries(step.afterSnapshots).map(([key, s]) => snapshotSection(afterHeading(step, key, s.dataset), s));
  if (before.length === 0 && after.length === 0) return html`<h4>Snapshots</h4><p class="muted">No snapshots.</p>`;
  return html`<h4>Before</h4>${before.length > 0 ? before : html`<p class="muted">No inputs.</p>`}
<h4>After</h4>${after.length > 0 ? after : html`<p class="muted">No output snapshot.</p>`}`;
}
