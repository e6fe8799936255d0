import { escapeHtml } from "./escape-html.js";

/** Markup that is safe as it is: built by {@link html} from the report's own templates, its values escaped. */
export class SafeHtml {
  constructor(readonly markup: string) {}

  toString(): string {
    return this.markup;
  }
}

/**
 * What a template may interpolate: markup, text and numbers (escaped), and lists of them (concatenated).
 * `null`, `undefined` and `false` render nothing, so `cond && html\`...\`` works.
 */
export type HtmlValue = SafeHtml | string | number | false | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.markup;
  if (value === null || value === undefined || value === false) return "";
  if (typeof value === "string" || typeof value === "number") return escapeHtml(String(value));
  return value.map(render).join("");
}

/**
 * The template tag every piece of the report is written with: the literal parts are trusted markup, every
 * interpolated value goes through {@link escapeHtml} unless it is already a {@link SafeHtml}. Attribute
 * values must be quoted in the template.
 *
 * @example
 * html`<td title="${name}">${name}</td>` // with name = `<x>`: <td title="&lt;x&gt;">&lt;x&gt;</td>
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let markup = strings[0] ?? "";
  values.forEach((value, i) => {
    markup += render(value) + (strings[i + 1] ?? "");
  });
  return new SafeHtml(markup);
}
