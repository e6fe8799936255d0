import { describe, expect, it } from "vitest";
import { errorMessage } from "../../src/util/error-message.js";
import { maskUrl, maskUrlsIn, urlSecrets } from "../../src/util/mask-url.js";
import { neutralizeJson, neutralizeTerminal } from "../../src/util/terminal-text.js";
import { textTable } from "../../src/util/text-table.js";

describe("neutralizeTerminal", () => {
  it("shows escape sequences and control characters as text, never as what a terminal would do", () => {
    expect(neutralizeTerminal("a\x1b[31mred\x1b[0m b\x1b]0;owned\x07 c\x08\x7f\u009b2J d\u202eevil")).toBe(
      "a\\x1b[31mred\\x1b[0m b\\x1b]0;owned\\x07 c\\x08\\x7f\\x9b2J d\\u202eevil",
    );
  });

  it("keeps a line on one line unless told it is multi-line, and never lets \\r rewrite a line", () => {
    expect(neutralizeTerminal("one\ntwo\r\tthree\n\n  LINE 1")).toBe("one two three LINE 1");
    expect(neutralizeTerminal("one\r\ntwo\n\tthree\rfake", { multiline: true })).toBe("one\ntwo\n\tthree\\x0dfake");
  });

  it("leaves ordinary text, Unicode included, as it is", () => {
    const text = "customer_pipeline: success in 1.2 s — ✓ read_orders 3,000 rows, naïve café 数据";
    expect(neutralizeTerminal(text)).toBe(text);
  });

  it("is applied to every cell of a text table, so columns stay aligned", () => {
    expect(textTable(["step", "note"], [["a\x1b[2J", "x\ny"]])).toBe("step      note\n--------  ----\na\\x1b[2J  x y");
  });

  it("keeps JSON the same JSON, with the characters JSON.stringify leaves raw escaped", () => {
    const value = { name: "x\u009b\u202e\u2028y", esc: "\x1b" };
    const json = neutralizeJson(JSON.stringify(value, null, 2));
    expect(json).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e\u2028]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe("maskUrl", () => {
  it("masks a password, a lone user name (a token) and credential query parameters", () => {
    expect(maskUrl("http://u:secret@host:5000/api/v1/lineage")).toBe("http://u:***@host:5000/api/v1/lineage");
    expect(maskUrl("https://ghp_abc123@github.com/x")).toBe("https://***@github.com/x");
    expect(maskUrl("https://h/x?api_key=k1&x=1&token=t2&X-Amz-Signature=s3")).toBe("https://h/x?api_key=***&x=1&token=***&X-Amz-Signature=***");
    expect(maskUrl("postgres://postgres:pw@127.0.0.1:5432/test")).toBe("postgres://postgres:***@127.0.0.1:5432/test");
    expect(maskUrl("postgres://postgres@127.0.0.1:5432/test")).toBe("postgres://postgres@127.0.0.1:5432/test");
  });

  it("leaves a URL without credentials exactly as written, and masks user info even when it does not parse", () => {
    expect(maskUrl("http://u:secret@127.0.0.1:5000")).toBe("http://u:***@127.0.0.1:5000");
    expect(maskUrl("http://localhost:5000")).toBe("http://localhost:5000");
    expect(maskUrl("redis://user:p@ss@[bad")).toBe("redis://user:***@[bad");
    expect(maskUrl("not a url, user:pass@host")).toBe("not a url, user:pass@host");
  });

  it("masks every URL inside a text, keeping the sentence around it", () => {
    expect(maskUrlsIn('fetch failed for "http://admin:hunter2@db.local/x", then https://t0k3n@h/y.')).toBe(
      'fetch failed for "http://admin:***@db.local/x", then https://***@h/y.',
    );
    expect(errorMessage(new Error("cannot reach http://u:secret@host/api"))).toBe("cannot reach http://u:***@host/api");
  });

  it("lists a URL's token-like parts that a server may echo back", () => {
    expect(urlSecrets(new URL("https://hooks.slack.com/services/T000/B000/s3cr3tT0ken"))).toEqual(["s3cr3tT0ken"]);
    expect(urlSecrets(new URL("http://u:pw%21x@h/api/v1/lineage?token=abcdef"))).toEqual(["pw%21x", "abcdef", "pw!x"]);
  });
});
