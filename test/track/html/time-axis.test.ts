import { describe, expect, it } from "vitest";
import { tickStep, timeTicks } from "../../../src/track/html/time-axis.js";

describe("time axis", () => {
  it("picks a 1, 2 or 5 step that gives at most 8 intervals", () => {
    expect(tickStep(1234)).toBe(200);
    expect(tickStep(80)).toBe(10);
    expect(tickStep(81)).toBe(20);
    expect(tickStep(3)).toBe(1);
    expect(tickStep(45_000)).toBe(10_000);
  });

  it("ticks from 0 to the span", () => {
    expect(timeTicks(1000)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(timeTicks(1)).toEqual([0, 1]);
  });
});
