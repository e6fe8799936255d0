import { describe, expect, it } from "vitest";
import { toJsonSafe } from "../../src/util/json-safe.js";

describe("toJsonSafe", () => {
  it("makes every value JSON-safe and keeps what fits", () => {
    const value = {
      small: 42n, big: 2n ** 64n, nan: NaN, inf: -Infinity, date: new Date("2024-01-02T03:04:05Z"),
      bytes: new Uint8Array([1, 2, 255]), nested: [{ n: 1n }, undefined], map: new Map([["k", 1n]]), ok: "s", flag: true,
    };
    expect(toJsonSafe(value)).toEqual({
      small: 42, big: "18446744073709551616", nan: "NaN", inf: "-Infinity", date: "2024-01-02T03:04:05.000Z",
      bytes: "AQL/", nested: [{ n: 1 }, null], map: { k: 1 }, ok: "s", flag: true,
    });
    expect(() => JSON.stringify(toJsonSafe(value))).not.toThrow();
  });
});
