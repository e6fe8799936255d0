import { formatDuration } from "../../util/text-table.js";
import { stepAnchor, type ReportContext } from "./report-context.js";
import { reportStatusOf, STATUS_LABELS, statusClass } from "./report-status.js";
import { html, type SafeHtml } from "./safe-html.js";
import { px } from "./svg-number.js";
import { textWidth } from "./text-width.js";
import { timeTicks } from "./time-axis.js";
import { peakConcurrency, timelineRows, timeSpan, type TimelineRow, type TimeSpan } from "./timeline-rows.js";
import { truncateText } from "./truncate-text.js";

const CHART_WIDTH = 720;
const RIGHT_PAD = 80;
const AXIS_HEIGHT = 26;
const ROW_HEIGHT = 22;
const BAR_HEIGHT = 14;
const FONT = 12;
const MAX_NAME = 36;
const MIN_BAR = 2;

interface Frame {
  readonly span: TimeSpan;
  readonly labelWidth: number;
  readonly x: (ms: number) => number;
}

function frameOf(rows: readonly TimelineRow[], span: TimeSpan): Frame {
  const widest = Math.max(0, ...rows.map((r) => textWidth(truncateText(r.step.stepName, MAX_NAME), FONT)));
  const labelWidth = Math.min(280, Math.max(100, widest + 16));
  return { span, labelWidth, x: (ms) => labelWidth + (ms / span.spanMs) * CHART_WIDTH };
}

function axis(frame: Frame, height: number): SafeHtml {
  const ticks = timeTicks(frame.span.spanMs).map((t) => {
    const x = px(frame.x(t));
    return html`<line class="grid" x1="${x}" y1="${AXIS_HEIGHT - 6}" x2="${x}" y2="${px(height)}"/><text class="tick" x="${x}" y="${AXIS_HEIGHT - 10}" text-anchor="middle">${formatDuration(t)}</text>`;
  });
  return html`<g class="axis">${ticks}</g>`;
}

function barTitle(row: TimelineRow): string {
  const end = row.endMs === undefined ? "still running" : `+${formatDuration(row.endMs)}`;
  return `${row.step.stepName}: ${STATUS_LABELS[reportStatusOf(row.step)]}, +${formatDuration(row.startMs)} → ${end} (${formatDuration(row.step.durationMs)})`;
}

function mark(row: TimelineRow, frame: Frame, y: number): SafeHtml {
  const status = statusClass(reportStatusOf(row.step));
  const times = html`data-start-ms="${row.startMs}" data-end-ms="${row.endMs ?? frame.span.spanMs}"`;
  const x = frame.x(row.startMs);
  const mid = y + ROW_HEIGHT / 2;
  if (row.step.status === "cached") {
    const d = `M${px(x)},${px(mid - 6)} L${px(x + 6)},${px(mid)} L${px(x)},${px(mid + 6)} L${px(x - 6)},${px(mid)} Z`;
    return html`<path class="marker ${status}" d="${d}" data-step="${row.index}" ${times}><title>${barTitle(row)}</title></path><text class="bar-label" x="${px(x + 10)}" y="${px(mid + 4)}">cached</text>`;
  }
  const width = Math.max(MIN_BAR, frame.x(row.endMs ?? frame.span.spanMs) - x);
  return html`<rect class="bar ${status}" x="${px(x)}" y="${px(mid - BAR_HEIGHT / 2)}" width="${px(width)}" height="${BAR_HEIGHT}" rx="2" data-step="${row.index}" ${times}><title>${barTitle(row)}</title></rect><text class="bar-label" x="${px(x + width + 4)}" y="${px(mid + 4)}">${formatDuration(row.step.durationMs)}</text>`;
}

function stripes(count: number, width: number): SafeHtml {
  const rows = Array.from({ length: count }, (_, i) => i).filter((i) => i % 2 === 0);
  return html`<g class="stripes">${rows.map((i) => html`<rect class="stripe" x="0" y="${AXIS_HEIGHT + i * ROW_HEIGHT}" width="${px(width)}" height="${ROW_HEIGHT}"/>`)}</g>`;
}

function rowSvg(row: TimelineRow, frame: Frame, position: number): SafeHtml {
  const y = AXIS_HEIGHT + position * ROW_HEIGHT;
  const label = html`<text class="row-label" x="${px(frame.labelWidth - 8)}" y="${px(y + ROW_HEIGHT / 2 + 4)}" text-anchor="end">${truncateText(row.step.stepName, MAX_NAME)}</text>`;
  return html`<a href="#${stepAnchor(row.index)}" class="timeline-row">${label}${mark(row, frame, y)}</a>`;
}

/**
 * The run as a Gantt chart in SVG: one row per step that ran, a bar from its start to its end on a time
 * axis shared by all rows (so steps that ran at the same time overlap), a diamond for a cached step.
 * Bars carry `data-start-ms` and `data-end-ms` (from the start of the run).
 */
export function timelineSvg(ctx: ReportContext): SafeHtml {
  const span = timeSpan(ctx);
  const rows = span === undefined ? [] : timelineRows(ctx, span);
  if (span === undefined || rows.length === 0) return html`<p class="muted">No step ran.</p>`;
  const frame = frameOf(rows, span);
  const width = frame.labelWidth + CHART_WIDTH + RIGHT_PAD;
  const height = AXIS_HEIGHT + rows.length * ROW_HEIGHT + 8;
  const peak = peakConcurrency(rows, span.spanMs);
  return html`<p class="timeline-note">${rows.length} step${rows.length === 1 ? "" : "s"} ran over ${formatDuration(span.spanMs)}; at most ${peak} at once.</p>
<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="${px(width)}" height="${px(height)}" viewBox="0 0 ${px(width)} ${px(height)}" role="img" aria-label="Timeline of the run">${stripes(rows.length, width)}${axis(frame, height)}${rows.map((r, i) => rowSvg(r, frame, i))}</svg>`;
}
