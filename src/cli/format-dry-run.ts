import type { DryRunReport } from "../orchestrator/dry-run.js";
import { textTable } from "../util/text-table.js";

/** A dry run as text: a headline, then each step with what would happen and why. */
export function formatDryRun(report: DryRunReport): string {
  const { run, reuse } = report.counts;
  const head = `${report.pipelineName}: dry run: ${run} would run, ${reuse} would be reused; nothing ran`;
  const table = textTable(
    ["step", "layer", "would", "why"],
    report.steps.map((s) => [s.name, s.layer ?? "", s.action, s.action === "reuse" ? `reused from the ${s.reusedFrom ?? "cache"}` : s.reason ?? ""]),
  );
  const reused = report.plan.selection?.reused ?? [];
  const inputs = reused.length === 0 ? "" : `\n\nfrom unselected steps: ${reused.map((r) => `${r.dataset} (${r.producer})`).join(", ")}`;
  return `${head}\n${table}${inputs}`;
}
