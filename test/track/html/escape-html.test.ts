import { describe, expect, it } from "vitest";
import { escapeHtml } from "../../../src/index.js";

describe("escapeHtml", () => {
  it("escapes the five characters that matter in text and quoted attributes", () => {
    expect(escapeHtml(`<b title="x">Tom & Jerry's</b>`)).toBe("&lt;b title=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/b&gt;");
  });

  it("escapes an ampersand once, so entities in data stay visible as typed", () => {
    expect(escapeHtml("&amp; &lt;")).toBe("&amp;amp; &amp;lt;");
  });

  it("leaves other text, unicode included, as it is", () => {
    expect(escapeHtml("naïve café → 東京 🎉 `x` = 1")).toBe("naïve café → 東京 🎉 `x` = 1");
  });
});
