import type { ExecutionPlan } from "./execution-plan.js";

/**
 * The plan as Mermaid flowchart text: one node per step (sources as stadium shapes), one edge per
 * dataset read. Pass `statuses` to color nodes by outcome (classes `success`, `failed`, ...).
 *
 * @example
 * ```ts
 * console.log(planToMermaid(orchestrator.plan()));
 * // flowchart LR
 * //   s0["read_orders"]
 * //   s0 -->|raw_orders| s1
 * ```
 */
export function planToMermaid(plan: ExecutionPlan, options: { statuses?: Readonly<Record<string, string>> } = {}): string {
  const ids = new Map(plan.steps.map((step, i) => [step.name, `s${i}`]));
  const sourceIds = new Map(plan.sources.map((source, i) => [source, `d${i}`]));
  // Names are [A-Za-z0-9_.-]+ (validated at declaration), so they need no escaping inside quotes.
  const lines = ["flowchart LR"];
  for (const [source, id] of sourceIds) lines.push(`  ${id}(["${source}"])`);
  for (const step of plan.steps) lines.push(`  ${ids.get(step.name)}["${step.name}"]`);
  for (const edge of plan.edges) lines.push(`  ${ids.get(edge.from)} -->|${edge.dataset}| ${ids.get(edge.to)}`);
  for (const step of plan.steps) {
    for (const input of step.inputs) {
      const source = sourceIds.get(input);
      if (source) lines.push(`  ${source} --> ${ids.get(step.name)}`);
    }
  }
  const statuses = options.statuses ?? {};
  const used = new Set(Object.values(statuses));
  const colors: Record<string, string> = {
    success: "#c8e6c9", cached: "#bbdefb", failed: "#ffcdd2", skipped: "#eeeeee", running: "#fff9c4",
  };
  for (const status of used) lines.push(`  classDef ${status} fill:${colors[status] ?? "#ffffff"}`);
  for (const [name, status] of Object.entries(statuses)) {
    const id = ids.get(name);
    if (id) lines.push(`  class ${id} ${status}`);
  }
  return lines.join("\n");
}
