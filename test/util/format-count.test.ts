import { describe, expect, it } from "vitest";
import { formatCount } from "../../src/util/format-count.js";

describe("formatCount", () => {
  it("writes what toLocaleString('en-US') writes, for integers, negatives and fractions", () => {
    let seed = 7;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const values = [0, 1, 12, 999, 1000, 1457, 12345, 1234567, -1, -1234, 0.5, 0.125, 0.1234, 1234.5678, 999.9996, 2 ** 53, -(2 ** 53), 1e20, 0.1 + 0.2];
    for (let i = 0; i < 3000; i++) values.push(Math.floor(random() * 1e12), (random() - 0.5) * 1e7, Math.floor((random() - 0.5) * 1e6));
    for (const value of values) expect(formatCount(value), String(value)).toBe(value.toLocaleString("en-US"));
  });
});
