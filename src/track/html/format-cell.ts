import { REDACTED } from "../snapshot.js";
import { html, type SafeHtml } from "./safe-html.js";
import { truncateText } from "./truncate-text.js";

/** Longest cell text shown; the rest of a long value is cut. */
export const MAX_CELL_CHARS = 200;

/**
 * One JSON-safe sample value (from `sampleToJson`) as escaped cell content: null and the redaction mask
 * marked by a class, strings as they are, lists and objects as JSON, everything cut to {@link MAX_CELL_CHARS}.
 */
export function formatCell(value: unknown): SafeHtml {
  if (value === null || value === undefined) return html`<span class="null">null</span>`;
  if (value === REDACTED) return html`<span class="redacted">${REDACTED}</span>`;
  const text = typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  return html`${truncateText(text, MAX_CELL_CHARS)}`;
}
