import { neutralizeTerminal } from "../util/terminal-text.js";
import type { StatusCounts } from "./run-model.js";
import { formatDuration, textTable } from "../util/text-table.js";
import { truncateNote } from "../util/truncate-note.js";
import { formatCount } from "../util/format-count.js";

/** One step's line in a run summary. */
export interface SummaryLine {
  readonly step: string;
  readonly layer: string | undefined;
  readonly status: string;
  /** Rows over the step's outputs, when it produced them. */
  readonly rows: number | undefined;
  readonly durationMs: number;
  readonly attempts: number;
  /** Why it failed or was skipped. */
  readonly note: string | undefined;
}

/** The header line of a run summary: `customer_pipeline: success in 1.2 s (9 success, 2 cached)`. */
export function summaryHeadline(pipelineName: string, status: string, durationMs: number, counts: StatusCounts): string {
  const parts = Object.entries(counts).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`);
  return `${neutralizeTerminal(pipelineName)}: ${status} in ${formatDuration(durationMs)} (${parts.join(", ") || "no steps"})`;
}

/** A run summary table: one line per step, in plan order. */
export function formatSummaryTable(lines: readonly SummaryLine[]): string {
  const rows = lines.map((l) => [
    l.step,
    l.layer ?? "",
    l.status,
    l.rows === undefined ? "" : formatCount(l.rows),
    l.status === "skipped" ? "" : formatDuration(l.durationMs),
    l.attempts > 1 ? String(l.attempts) : "",
    truncateNote(l.note ?? ""),
  ]);
  return textTable(["step", "layer", "status", "rows", "time", "tries", "note"], rows, new Set([3, 4, 5]));
}
