import type { StepSpec } from "../step/step-spec.js";
import { buildPlan, type PlannedPipeline } from "./build-plan.js";
import type { PlanSelection } from "./execution-plan.js";
import { isSelecting, selectSteps, type SelectableStep, type Selection } from "./select-steps.js";

/** A dataset a selected step reads that an unselected step produces: it must come from a stored result. */
export interface ExternalInput {
  readonly dataset: string;
  /** The unselected step that produces it (its index in the full plan). */
  readonly producer: number;
  /** The selected steps that read it. */
  readonly consumers: readonly string[];
}

/** A selection applied to a plan: the plan of the selected steps and what they need from outside it. */
export interface RestrictedPlan {
  readonly planned: PlannedPipeline;
  readonly external: readonly ExternalInput[];
}

/** The steps of a planned pipeline as selectors see them. */
export function selectableSteps(full: PlannedPipeline): SelectableStep[] {
  const tags = new Map(full.dag.specs.map((s) => [s.name, s.tags]));
  return full.plan.steps.map((step) => ({ ...step, tags: tags.get(step.name) ?? [] }));
}

/**
 * The plan of the steps a selection chooses, or undefined when it chooses every step. The selected steps
 * keep their order; datasets they read from unselected steps become the restricted plan's sources (listed,
 * with their producers, in `plan.selection.reused`).
 * @throws SelectionError for an expression that names nothing known or leaves no step.
 */
export function restrictPlan(
  full: PlannedPipeline,
  selection: Selection,
  options: { pipelineName: string; sources: Iterable<string> },
): RestrictedPlan | undefined {
  // No select/exclude chooses every step: skip copying each step for the selectors (an empty pipeline still
  // goes through selectSteps, which reports it).
  if (!isSelecting(selection) && full.dag.specs.length > 0) return undefined;
  const names = selectSteps(selectableSteps(full), selection);
  if (names.length === full.dag.specs.length) return undefined;
  const chosen = new Set(names);
  const specs: StepSpec[] = full.dag.specs.filter((s) => chosen.has(s.name)).map((s, index) => ({ ...s, index }));
  const external = new Map<string, { producer: number; consumers: string[] }>();
  for (const spec of specs) {
    for (const input of spec.inputs) {
      const producer = full.dag.producerOf.get(input.dataset);
      if (producer === undefined || chosen.has(full.dag.specs[producer]?.name as string)) continue;
      const entry = external.get(input.dataset) ?? { producer, consumers: [] };
      if (!entry.consumers.includes(spec.name)) entry.consumers.push(spec.name);
      external.set(input.dataset, entry);
    }
  }
  const externals = [...external].map(([dataset, e]) => ({ dataset, ...e })).sort((a, b) => a.dataset.localeCompare(b.dataset));
  const planned = buildPlan(specs, { pipelineName: options.pipelineName, sources: [...options.sources, ...external.keys()] });
  const info: PlanSelection = {
    ...(selection.select !== undefined ? { select: selection.select } : {}),
    ...(selection.exclude !== undefined ? { exclude: selection.exclude } : {}),
    steps: planned.plan.order,
    unselected: full.plan.order.filter((n) => !chosen.has(n)),
    reused: externals.map((e) => ({ dataset: e.dataset, producer: full.dag.specs[e.producer]?.name as string, consumers: e.consumers })),
  };
  return { planned: { ...planned, plan: { ...planned.plan, selection: info } }, external: externals };
}
