import type { StepExecution } from "../step-execution.js";
import type { ReportContext } from "./report-context.js";

/** One step that ran, in ms from the start of the time axis; `endMs` is undefined while it runs. */
export interface TimelineRow {
  readonly step: StepExecution;
  readonly index: number;
  readonly startMs: number;
  readonly endMs: number | undefined;
}

/** The time axis: its origin (epoch ms) and span (ms). */
export interface TimeSpan {
  readonly originMs: number;
  readonly spanMs: number;
}

const epoch = (iso: string | undefined): number | undefined => {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
};

/** The time axis of a run: from its start (or its first step's) to its end (or its last step's), at least 1 ms. */
export function timeSpan(ctx: ReportContext): TimeSpan | undefined {
  const starts = ctx.steps.map((s) => epoch(s.startTime)).filter((t) => t !== undefined);
  const ends = ctx.steps.map((s) => epoch(s.endTime)).filter((t) => t !== undefined);
  const runStart = epoch(ctx.source.startTime);
  const runEnd = epoch(ctx.source.endTime);
  const first = Math.min(...(runStart === undefined ? [] : [runStart]), ...starts);
  const last = Math.max(...(runEnd === undefined ? [] : [runEnd]), ...ends, ...starts);
  if (!Number.isFinite(first)) return undefined;
  return { originMs: first, spanMs: Math.max(1, last - first) };
}

/** One row per step that ran (or was cached), by start time and then plan order. */
export function timelineRows(ctx: ReportContext, span: TimeSpan): TimelineRow[] {
  const rows: TimelineRow[] = [];
  ctx.steps.forEach((step, index) => {
    const start = epoch(step.startTime);
    if (start === undefined) return;
    const end = epoch(step.endTime);
    rows.push({ step, index, startMs: start - span.originMs, endMs: end === undefined ? undefined : Math.max(end, start) - span.originMs });
  });
  return rows.sort((a, b) => a.startMs - b.startMs || a.index - b.index);
}

/** The most steps running at the same moment (half-open intervals, so a step starting as another ends does not overlap it). */
export function peakConcurrency(rows: readonly TimelineRow[], spanMs: number): number {
  const events = rows
    .filter((r) => r.step.status !== "cached")
    .flatMap((r) => [[r.startMs, 1], [r.endMs ?? spanMs, -1]] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let [running, peak] = [0, 0];
  for (const [, change] of events) {
    running += change;
    peak = Math.max(peak, running);
  }
  return peak;
}
