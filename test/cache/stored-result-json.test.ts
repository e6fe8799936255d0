import { describe, expect, it } from "vitest";
import type { StoredResult } from "../../src/cache/stored-output.js";
import { keyEntryOf, storedResultJson, takeKeyEntryJson } from "../../src/cache/stored-result-json.js";

const result: StoredResult = {
  key: "a".repeat(64),
  step: "clean \"orders\"",
  outputs: { d0: { dataVersion: "b".repeat(64), data: { kind: "inline", format: "rows", value: [{ i: 0, s: "é\n" }], sha256: "c".repeat(64) }, schema: [{ name: "i", type: "BIGINT" }], rowCount: 1 } },
  columnLineage: { source: "opaque", outputs: {}, note: "opaque" },
} as unknown as StoredResult;

describe("stored-result-json", () => {
  it("writes a result and its cache entry exactly as JSON.stringify does, the result serialized once", () => {
    expect(storedResultJson(result)).toBe(JSON.stringify(result));
    expect(storedResultJson(result)).toBe(storedResultJson(result));
    const entry = keyEntryOf(result, "pipe\"line", "2026-12-02T10:00:00.000Z", "2026-12-02T10:00:01.000Z", 0);
    expect(entry).toEqual({ format: 1, ...result, pipeline: "pipe\"line", created: "2026-12-02T10:00:00.000Z", lastUsed: "2026-12-02T10:00:01.000Z", hits: 0 });
    expect(takeKeyEntryJson(entry)).toBe(JSON.stringify(entry));
    // An entry made otherwise (read back, touched) is serialized as it is.
    const touched = { ...entry, hits: 3 };
    expect(takeKeyEntryJson(touched)).toBe(JSON.stringify(touched));
  });
});
