import type { InputField } from "../../lineage/column-lineage.js";
import type { StepExecution } from "../step-execution.js";
import { dataTable } from "./data-table.js";
import { html, type SafeHtml } from "./safe-html.js";

const edges = (fields: readonly InputField[]): string =>
  fields.map((f) => `${f.dataset}.${f.field} (${f.transformations.map((t) => t.subtype).join(", ")})`).join("; ");

/** A step's column lineage: per output, each column's input fields, the dataset-wide edges and unresolved columns. */
export function stepColumnLineage(step: StepExecution): SafeHtml | false {
  const lineage = step.columnLineage;
  if (lineage === undefined) return false;
  const outputs = Object.entries(lineage.outputs);
  return html`<section class="column-lineage"><h4>Column lineage <span class="muted">(${lineage.source})</span></h4>${
    lineage.note !== undefined && html`<p class="muted">${lineage.note}</p>`
  }${outputs.map(([name, l]) => html`<h5>${name}</h5>${dataTable(
    ["column", "comes from"],
    [
      ...Object.entries(l.fields).map(([column, f]) => [column, f.inputFields.length > 0 ? edges(f.inputFields) : "(no input column)"]),
      ...Object.entries(l.unresolved ?? {}).map(([column, reason]) => [column, `unresolved: ${reason}`]),
    ],
  )}${l.dataset.length > 0 && html`<p>Whole dataset: ${edges(l.dataset)}</p>`}`)}</section>`;
}
