import { describe, expect, it } from "vitest";
import { keyedRecord } from "../../src/util/keyed-record.js";

describe("keyedRecord", () => {
  it("is an empty plain object: Object's prototype, no keys, keys in insertion order, the same JSON as {}", () => {
    const record = keyedRecord<number>();
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(Object.keys(record)).toEqual([]);
    expect("$first" in record || "$second" in record).toBe(false);
    record.d5 = 1;
    record.a = 2;
    record.d10 = 3;
    expect(Object.keys(record)).toEqual(["d5", "a", "d10"]);
    expect(JSON.stringify(record)).toBe(JSON.stringify({ d5: 1, a: 2, d10: 3 }));
    expect(record).toStrictEqual({ d5: 1, a: 2, d10: 3 });
  });

  it("makes a new object each time", () => {
    const a = keyedRecord<number>();
    a.x = 1;
    expect(keyedRecord<number>()).toEqual({});
  });
});
