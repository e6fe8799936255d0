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
  return `${head}\n${table}${inputs}${persistLine(report.persist)}`;
}

/** What the run would keep of its new outputs, grouped: the outputs kept as files they are anyway by name, the rest counted. */
function persistLine(persist: DryRunReport["persist"]): string {
  const by = (kind: string): string[] => Object.entries(persist).filter(([, k]) => k === kind).map(([name]) => name);
  const parts: string[] = [];
  if (by("source-file").length > 0) parts.push(`source files: ${by("source-file").join(", ")}`);
  if (by("written-file").length > 0) parts.push(`the Parquet files write steps write: ${by("written-file").join(", ")}`);
  if (by("every").length > 0) parts.push(`${by("every").length} more (persist: all)`);
  const auto = by("auto").length;
  if (auto > 0) parts.push(`the other ${auto} output${auto === 1 ? "" : "s"} when small, read by no step, or much slower to compute than to store (persist: auto)`);
  return parts.length === 0 ? "" : `\n\nwould keep: ${parts.join("; ")}`;
}
