import { neutralizeTerminal } from "./terminal-text.js";

/**
 * Renders rows as an aligned plain-text table; columns listed in `right` are right-aligned (numbers). Each
 * cell is one line of terminal-safe text (control characters shown, never acted on).
 */
export function textTable(header: readonly string[], givenRows: readonly (readonly string[])[], right: ReadonlySet<number> = new Set()): string {
  const rows = givenRows.map((row) => row.map((cell) => neutralizeTerminal(cell)));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, i) => (right.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** A duration for people: `840 ms`, `12.3 s`, `4 min 05 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${String(Math.round((ms % 60_000) / 1000)).padStart(2, "0")} s`;
}
