import { columnLineageTrees, type ColumnLineageStep, type ColumnTreeNode } from "../../lineage/column-tree.js";
import type { StepExecution } from "../step-execution.js";
import { html, type SafeHtml } from "./safe-html.js";

/** Columns shown at most: each with its whole tree, so a very wide run keeps a bounded report. */
const MAX_COLUMNS = 300;

/** The steps' column lineage in the shape the tree functions read (the lineage JSON's). */
export function lineageSteps(steps: readonly StepExecution[]): ColumnLineageStep[] {
  return steps.map((s) => ({
    step_name: s.stepName,
    ...(s.columnLineage ? { column_lineage: s.columnLineage.outputs, column_lineage_source: s.columnLineage.source } : {}),
    ...(s.columnLineage?.note !== undefined ? { column_lineage_note: s.columnLineage.note } : {}),
    after_snapshots: Object.fromEntries(Object.entries(s.afterSnapshots).map(([k, v]) => [k, { schema: v.schema.map((c) => `${c.name}: ${c.type}`) }])),
  }));
}

function treeList(node: ColumnTreeNode): SafeHtml {
  const hop = node.step === undefined ? "" : ` ← ${node.step}: ${(node.transformations ?? []).map((t) => t.subtype).join(", ")}`;
  return html`<li><code>${node.dataset}.${node.column}</code><span class="muted">${hop}</span>${node.stop !== undefined && html` <span class="muted">[${node.stop}]</span>`}${
    node.children.length > 0 && html`<ul>${node.children.map(treeList)}</ul>`
  }</li>`;
}

/**
 * Every produced column's ancestry, down to the source files' columns: one collapsible tree per column,
 * plain `<details>` (no script).
 */
export function columnAncestrySection(steps: readonly StepExecution[]): SafeHtml | false {
  const shaped = lineageSteps(steps);
  const columns = steps.flatMap((s) => Object.entries(s.columnLineage?.outputs ?? {}).flatMap(([dataset, l]) => Object.keys(l.fields).map((c) => [dataset, c] as const)));
  if (columns.length === 0) return false;
  const shown = columns.slice(0, MAX_COLUMNS);
  const treeOf = columnLineageTrees(shaped);
  return html`<section id="column-ancestry"><h2>Column ancestry</h2>${shown.map(([dataset, column]) => {
    const tree = treeOf(dataset, column);
    return html`<details class="ancestry"><summary><code>${dataset}.${column}</code></summary><ul>${tree.children.map(treeList)}</ul></details>`;
  })}${columns.length > MAX_COLUMNS && html`<p class="muted">${columns.length - MAX_COLUMNS} more columns not shown; use linea lineage --column.</p>`}</section>`;
}
