const ENTITIES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * Text made safe for HTML and SVG, in element content and in quoted attribute values alike: `&`, `<`,
 * `>`, `"` and `'` become entities. The report passes every value from data or user input through it
 * (via the `html` template tag), so no name, SQL text, sample value or error message can add markup.
 *
 * @example
 * escapeHtml(`<b title="x">Tom & Jerry's</b>`) // "&lt;b title=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/b&gt;"
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}
