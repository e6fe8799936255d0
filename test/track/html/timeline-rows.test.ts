import { describe, expect, it } from "vitest";
import { reportContext } from "../../../src/track/html/report-context.js";
import { peakConcurrency, timelineRows, timeSpan } from "../../../src/track/html/timeline-rows.js";
import { timelineSvg } from "../../../src/track/html/timeline-svg.js";
import { fakeRun, record } from "./fake-run.js";

const at = (ms: number): string => new Date(Date.parse("2025-01-01T00:00:00.000Z") + ms).toISOString();

describe("timeline rows", () => {
  const run = fakeRun([
    record("late", { status: "success", startTime: at(500), endTime: at(900), durationMs: 400 }),
    record("early", { status: "success", startTime: at(100), endTime: at(600), durationMs: 500 }),
    record("hit", { status: "cached", cached: true, startTime: at(50), endTime: at(50) }),
    record("never", { status: "skipped", kind: "blocked", blockedBy: "x" }),
    record("touching", { status: "success", startTime: at(900), endTime: at(950), durationMs: 50 }),
  ]);
  const ctx = reportContext(run);

  it("spans the run, and keeps one row per step that ran or was cached, by start time", () => {
    const span = timeSpan(ctx);
    expect(span).toEqual({ originMs: Date.parse(at(0)), spanMs: 1000 });
    const rows = timelineRows(ctx, span!);
    expect(rows.map((r) => [r.step.stepName, r.index, r.startMs, r.endMs])).toEqual([
      ["hit", 2, 50, 50], ["early", 1, 100, 600], ["late", 0, 500, 900], ["touching", 4, 900, 950],
    ]);
    expect(peakConcurrency(rows, span!.spanMs)).toBe(2);
  });

  it("draws a bar per step that ran, a diamond for a cached one, and ticks on a shared axis", () => {
    const svg = timelineSvg(ctx).markup;
    expect(svg.match(/<rect class="bar /g)).toHaveLength(3);
    expect(svg).toContain('<path class="marker status-cached" d="');
    expect(svg).toContain('data-step="1" data-start-ms="100" data-end-ms="600"');
    expect(svg).toContain("4 steps ran over 1.0 s; at most 2 at once.");
    expect(svg).toContain('text-anchor="middle">200 ms</text>');
    expect(svg).not.toContain("never");
  });

  it("says so when no step ran", () => {
    expect(timelineSvg(reportContext(fakeRun([record("a")], { startTime: undefined, endTime: undefined }))).markup).toBe(
      '<p class="muted">No step ran.</p>',
    );
  });
});
