import { errorMessage } from "../util/error-message.js";
import type { RunResult } from "./run-result.js";
import { formatSummaryTable, summaryHeadline, type SummaryLine } from "./format-run-summary.js";

/** The summary lines of a finished run, in plan order. */
export function summaryLines(result: RunResult): SummaryLine[] {
  return result.plan.steps.map((step) => {
    const node = result.nodes[step.name];
    const counts = Object.values(node?.rowCounts ?? {});
    const rows = counts.length > 0 ? counts.reduce((a, b) => a + b, 0) : undefined;
    const warned = (node?.checks ?? []).filter((c) => c.status !== "pass").length;
    const note = node?.status === "failed"
      ? (node.error === undefined ? undefined : errorMessage(node.error))
      : node?.status === "skipped"
        ? node.kind === "blocked" ? `blocked by ${node.blockedBy}` : `aborted (${node.statusReason})`
        : warned > 0 ? `${warned} check${warned === 1 ? "" : "s"} failed (warn)` : undefined;
    return {
      step: step.name, layer: step.layer, status: node?.status ?? "?", rows,
      durationMs: node?.durationMs ?? 0, attempts: node?.attempts ?? 0, note,
    };
  });
}

/** A finished run as text: a headline and one line per step. */
export function formatRunSummary(result: RunResult): string {
  const status = result.interrupted ? "interrupted" : result.status;
  return `${summaryHeadline(result.pipelineName, status, result.durationMs, result.counts)}\n${formatSummaryTable(summaryLines(result))}`;
}
