import { html, type HtmlValue, type SafeHtml } from "./safe-html.js";

/** A table with a header row; `numeric` names the columns (by index) that are right-aligned numbers. */
export function dataTable(
  header: readonly string[],
  rows: readonly (readonly HtmlValue[])[],
  options: { readonly className?: string; readonly numeric?: readonly number[] } = {},
): SafeHtml {
  const numeric = new Set(options.numeric ?? []);
  const cell = (value: HtmlValue, i: number): SafeHtml => (numeric.has(i) ? html`<td class="num">${value}</td>` : html`<td>${value}</td>`);
  return html`<table class="${options.className ?? "data"}"><thead><tr>${header.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>${rows.map(
    (row) => html`<tr>${row.map(cell)}</tr>`,
  )}</tbody></table>`;
}
