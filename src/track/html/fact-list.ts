import { html, type HtmlValue, type SafeHtml } from "./safe-html.js";

/** A `<dl>` of label/value pairs; pairs whose value is undefined are left out. */
export function factList(facts: ReadonlyArray<readonly [string, HtmlValue]>, className = "facts"): SafeHtml {
  const shown = facts.filter(([, value]) => value !== undefined);
  return html`<dl class="${className}">${shown.map(([label, value]) => html`<dt>${label}</dt><dd>${value}</dd>`)}</dl>`;
}
