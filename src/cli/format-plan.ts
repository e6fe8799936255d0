import type { ExecutionPlan } from "../plan/execution-plan.js";
import { textTable } from "../util/text-table.js";

/** An execution plan as text: a headline, its layers, and each step with its upstream. */
export function formatPlan(plan: ExecutionPlan): string {
  const head = `${plan.pipelineName}: ${plan.order.length} steps in ${plan.layers.length} layers (plan ${plan.batchRunId})`;
  const sources = plan.sources.length > 0 ? `\nsources: ${plan.sources.join(", ")}` : "";
  const layers = plan.layers.map((names, depth) => `  layer ${depth}  ${names.join(", ")}`).join("\n");
  const table = textTable(
    ["step", "layer", "upstream", "outputs"],
    plan.steps.map((s) => [s.name, s.layer ?? "", s.upstream.join(", ") || "-", s.outputs.join(", ") || "-"]),
  );
  return `${head}${sources}\n${layers}\n\n${table}`;
}
