import type { CheckResult } from "../../execute/check-result.js";
import { dataTable } from "./data-table.js";
import { formatCount } from "./format-count.js";
import { html, type SafeHtml } from "./safe-html.js";

const statusBadge = (c: CheckResult): SafeHtml => html`<span class="check check-${c.status} severity-${c.severity}">${c.status}</span>`;

/** A step's data checks: status, severity, dataset, what was checked and found. */
export function stepChecks(checks: readonly CheckResult[]): SafeHtml {
  if (checks.length === 0) return html`<h4>Checks</h4><p class="muted">No checks.</p>`;
  const rows = checks.map((c) => [statusBadge(c), c.severity, c.name, c.dataset, c.message, formatCount(c.failingRows)]);
  return html`<h4>Checks</h4>${dataTable(["status", "severity", "check", "dataset", "message", "failing rows"], rows, { className: "data checks", numeric: [5] })}`;
}
