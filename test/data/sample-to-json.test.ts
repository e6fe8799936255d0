import { describe, expect, it } from "vitest";
import { sampleToJson } from "../../src/data/sample-to-json.js";
import type { Row } from "../../src/data/dataset.js";
import { toJsonSafe } from "../../src/util/json-safe.js";

describe("sampleToJson", () => {
  it("writes DATE columns as days and every other value JSON-safe, each row's keys in their order", () => {
    const odd = JSON.parse('{"__proto__":1,"b":2}') as Row;
    const rows: Row[] = [
      { day: new Date("2024-02-29T00:00:00Z"), at: new Date("2024-02-29T10:11:12Z"), big: 2n ** 70n, small: 7n, nan: Number.NaN, bytes: new Uint8Array([1, 2]), none: undefined },
      { 2: "two", a: "a", 1: "one", nested: { x: [1n, null] } },
      odd,
      {},
    ];
    const schema = [{ name: "day", type: "DATE" }, { name: "at", type: "TIMESTAMP" }];
    const json = sampleToJson({ schema, sample: rows });
    // What it wrote before: a copy through toJsonSafe, DATE columns cut to the day.
    const expected = rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, k === "day" && v instanceof Date ? v.toISOString().slice(0, 10) : toJsonSafe(v)])));
    expect(JSON.stringify(json)).toBe(JSON.stringify(expected));
    expect(Object.keys(json[2] as object)).toEqual(["__proto__", "b"]);
    expect(Object.getPrototypeOf(json[2])).toBe(Object.prototype);
    expect(json[0]?.day).toBe("2024-02-29");
  });
});
