import { describe, expect, it } from "vitest";
import { sortSmall } from "../../src/util/sort-small.js";

describe("sortSmall", () => {
  it("sorts in place exactly as Array.prototype.sort does, stable, short and long arrays alike", () => {
    let seed = 7;
    const random = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let length = 0; length <= 40; length++) {
      const items = Array.from({ length }, (_, i) => ({ key: Math.floor(random() * 5), i }));
      const byKey = (a: { key: number }, b: { key: number }): number => a.key - b.key;
      const expected = [...items].sort(byKey);
      const sorted = sortSmall(items, byKey);
      expect(sorted).toBe(items);
      expect(sorted).toEqual(expected);
    }
  });
});
