import { describe, expect, it } from "vitest";
import { openLineageUuid } from "../../../src/index.js";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const T = Date.parse("2026-11-21T22:16:00.120Z");

describe("openLineageUuid", () => {
  it("has the UUIDv7 layout: version 7, RFC 4122 variant, the time in the first 48 bits", () => {
    const id = openLineageUuid("run-1/enrich", T);
    expect(id).toMatch(UUID_V7);
    expect(Number.parseInt(id.replace(/-/g, "").slice(0, 12), 16)).toBe(T);
  });

  it("is deterministic, and differs by seed and by time", () => {
    expect(openLineageUuid("run-1/enrich", T)).toBe(openLineageUuid("run-1/enrich", T));
    expect(openLineageUuid("run-1/enrich", T)).not.toBe(openLineageUuid("run-1/clean", T));
    expect(openLineageUuid("run-1/enrich", T)).not.toBe(openLineageUuid("run-2/enrich", T));
    expect(openLineageUuid("run-1/enrich", T)).not.toBe(openLineageUuid("run-1/enrich", T + 1));
  });

  it("sorts by time, as v7 ids do", () => {
    const ids = [T + 5000, T, T + 1].map((t, i) => openLineageUuid(`seed-${i}`, t));
    expect([...ids].sort()).toEqual([ids[1], ids[2], ids[0]]);
  });

  it("keeps the layout for times outside 48 bits or not a number", () => {
    for (const t of [Number.NaN, -1, 2 ** 50]) expect(openLineageUuid("x", t)).toMatch(UUID_V7);
  });
});
