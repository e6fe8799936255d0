import type { Column } from "../../data/dataset.js";
import { isEmptyDiff, type SchemaDiff } from "../schema-diff.js";
import type { StepExecution } from "../step-execution.js";
import { dataTable } from "./data-table.js";
import { formatDelta } from "./format-count.js";
import { html, type SafeHtml } from "./safe-html.js";

const columnRows = (change: string, columns: readonly Column[]): string[][] => columns.map((c) => [change, c.name, c.type]);

function schemaDiffTable(diff: SchemaDiff): SafeHtml {
  if (isEmptyDiff(diff)) return html`<p class="diff-none">No schema change.</p>`;
  const rows = [
    ...columnRows("added", diff.added),
    ...columnRows("removed", diff.removed),
    ...diff.changed.map((c) => ["changed", c.column, `${c.before} → ${c.after}`]),
  ];
  return dataTable(["change", "column", "type"], rows, { className: "data diff" });
}

/** A step's schema diff (added, removed, changed columns) and row delta, when the tracker derived them. */
export function stepChanges(step: StepExecution): SafeHtml {
  const diff = step.schemaDiff === undefined ? html`<p class="muted">No schema diff.</p>` : schemaDiffTable(step.schemaDiff);
  const delta = step.rowDelta === undefined
    ? html`<p class="muted">No row delta.</p>`
    : html`<p class="row-delta">Row delta: <strong>${formatDelta(step.rowDelta)}</strong></p>`;
  return html`<h4>Schema diff</h4>${diff}${delta}`;
}
