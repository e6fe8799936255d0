import { sampleToJson } from "../../data/sample-to-json.js";
import type { Snapshot } from "../snapshot.js";
import { dataTable } from "./data-table.js";
import { formatCell } from "./format-cell.js";
import { formatRows } from "./format-count.js";
import { html, type SafeHtml } from "./safe-html.js";

/** The sample's columns: the schema's, then any a row has that the schema lacks. */
function sampleColumns(snapshot: Snapshot, rows: ReadonlyArray<Record<string, unknown>>): string[] {
  const columns = snapshot.schema.map((c) => c.name);
  const known = new Set(columns);
  for (const key of rows.flatMap((row) => Object.keys(row))) {
    if (known.has(key)) continue;
    known.add(key);
    columns.push(key);
  }
  return columns;
}

function sampleTable(snapshot: Snapshot): SafeHtml {
  const rows = sampleToJson(snapshot);
  if (rows.length === 0) return html`<p class="muted">No sample rows.</p>`;
  const columns = sampleColumns(snapshot, rows);
  return dataTable(columns, rows.map((row) => columns.map((c) => formatCell(row[c]))), { className: "data sample" });
}

/**
 * One snapshot under `heading` (which names what it is a snapshot of): its row count, its schema as a table, and its sample rows as a table
 * (values already masked by the tracker for redacted columns); for a value dataset, its JSON type and preview.
 */
export function snapshotSection(heading: SafeHtml, snapshot: Snapshot): SafeHtml {
  if (snapshot.value !== undefined) {
    return html`<div class="snapshot value"><h5>${heading}, a JSON ${snapshot.value.type}</h5><pre class="value-preview">${snapshot.value.preview}</pre></div>`;
  }
  const schema = dataTable(["column", "type"], snapshot.schema.map((c) => [c.name, c.type]), { className: "data schema" });
  return html`<div class="snapshot"><h5>${heading}, ${formatRows(snapshot.rowCount)}</h5>
<div class="snapshot-tables"><div>${schema}</div><div class="scroll">${sampleTable(snapshot)}</div></div></div>`;
}
