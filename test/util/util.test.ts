import { describe, expect, it } from "vitest";
import { closestNames, editDistance } from "../../src/util/closest-names.js";
import { MinHeap } from "../../src/util/min-heap.js";
import { isSafeId, newRunId } from "../../src/util/ids.js";

describe("closestNames", () => {
  it("suggests near misses, closest first", () => {
    expect(closestNames("raw_order", ["raw_orders", "raw_customers", "orders"])).toEqual(["raw_orders"]);
    expect(closestNames("order", ["raw_orders", "orders"])).toEqual(["orders", "raw_orders"]);
    expect(closestNames("custmers", ["customers", "products"])).toEqual(["customers"]);
    expect(closestNames("zzz", ["customers", "products"])).toEqual([]);
  });

  it("computes edit distance", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("rnu", "run")).toBe(1);
    expect(editDistance("ca", "abc")).toBe(3);
  });
});

describe("MinHeap", () => {
  it("pops in ascending order", () => {
    const heap = new MinHeap();
    for (const n of [5, 3, 9, 1, 7, 3]) heap.push(n);
    const out: number[] = [];
    for (let n = heap.pop(); n !== undefined; n = heap.pop()) out.push(n);
    expect(out).toEqual([1, 3, 3, 5, 7, 9]);
  });
});

describe("run ids", () => {
  it("are safe as file names and sortable by time", () => {
    const a = newRunId(new Date("2026-01-02T03:04:05.678Z"));
    expect(a).toMatch(/^run-20260102T030405Z-[0-9a-f]{8}$/);
    expect(isSafeId(a)).toBe(true);
    expect(isSafeId("../etc")).toBe(false);
    expect(isSafeId(".hidden")).toBe(false);
  });
});
