import type { ExecutionPlan } from "../plan/execution-plan.js";
import { neutralizeTerminal } from "../util/terminal-text.js";
import { textTable } from "../util/text-table.js";

/** An execution plan as text: a headline, its layers, and each step with its upstream. */
export function formatPlan(plan: ExecutionPlan): string {
  const head = `${neutralizeTerminal(plan.pipelineName)}: ${plan.order.length} steps in ${plan.layers.length} layers (plan ${plan.batchRunId})`;
  const sources = plan.sources.length > 0 ? `\nsources: ${plan.sources.join(", ")}` : "";
  const layers = plan.layers.map((names, depth) => `  layer ${depth}  ${names.join(", ")}`).join("\n");
  const table = textTable(
    ["step", "layer", "upstream", "outputs"],
    plan.steps.map((s) => [s.name, s.layer ?? "", s.upstream.join(", ") || "-", s.outputs.join(", ") || "-"]),
  );
  return `${head}${sources}${selectionLines(plan)}\n${layers}\n\n${table}`;
}

/** What a selection left out and what it reuses, for a plan narrowed by `--select`/`--exclude`. */
function selectionLines(plan: ExecutionPlan): string {
  const selection = plan.selection;
  if (selection === undefined) return "";
  const lines = [`\nselected: ${selection.steps.length} step${selection.steps.length === 1 ? "" : "s"}; not selected: ${selection.unselected.join(", ") || "-"}`];
  for (const reused of selection.reused) {
    lines.push(`reused: ${reused.dataset} (from ${reused.producer}, for ${reused.consumers.join(", ")}): from the cache or a checkpoint`);
  }
  return lines.join("\n");
}
