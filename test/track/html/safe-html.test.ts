import { describe, expect, it } from "vitest";
import { html, SafeHtml } from "../../../src/track/html/safe-html.js";

describe("the html template tag", () => {
  it("escapes interpolated text in content and in attributes", () => {
    const name = `"onload="alert(1)<script>`;
    expect(html`<td title="${name}">${name}</td>`.markup).toBe(
      '<td title="&quot;onload=&quot;alert(1)&lt;script&gt;">&quot;onload=&quot;alert(1)&lt;script&gt;</td>',
    );
  });

  it("keeps nested fragments as markup, joins lists, and renders nothing for null, undefined and false", () => {
    const items = ["a<", "b&"].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${0}`.markup).toBe("<ul><li>a&lt;</li><li>b&amp;</li></ul>0");
  });

  it("trusts only SafeHtml: a string that looks like markup is text", () => {
    expect(html`${"<i>x</i>"}|${new SafeHtml("<i>x</i>")}`.markup).toBe("&lt;i&gt;x&lt;/i&gt;|<i>x</i>");
  });
});
