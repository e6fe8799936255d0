import { createHash } from "node:crypto";
import type { StepSpec } from "../step/step-spec.js";
import { EMPTY_ARRAY } from "../util/empty.js";
import { MinHeap } from "../util/min-heap.js";
import { sortSmall } from "../util/sort-small.js";
import { buildDag, type Dag } from "./build-dag.js";
import type { ExecutionPlan, PlanEdge, PlanStep } from "./execution-plan.js";
import { findCycle } from "./find-cycle.js";
import { CycleError } from "./plan-errors.js";

/** A plan together with the index structures the executor runs it by. */
export interface PlannedPipeline {
  readonly plan: ExecutionPlan;
  readonly dag: Dag;
  /** Step indices in plan order. */
  readonly order: readonly number[];
  /** Step index to its position in `order`: the ready queue's priority. */
  readonly rank: Int32Array;
}

/** `names` without repeats, first occurrences kept (itself when it has none, as it nearly always does: no copy). */
function distinct(names: string[]): string[] {
  for (let i = 1; i < names.length; i++) {
    if (names.lastIndexOf(names[i] as string, i - 1) >= 0) return [...new Set(names)];
  }
  return names;
}

/** Kahn's algorithm with a min-heap on declaration index: a deterministic topological order. */
function topologicalOrder(dag: Dag): number[] {
  const count = dag.specs.length;
  const waiting = Int32Array.from(dag.upstream, (ups) => ups.length);
  const ready = new MinHeap();
  for (let i = 0; i < count; i++) if (waiting[i] === 0) ready.push(i);
  const order: number[] = [];
  for (let next = ready.pop(); next !== undefined; next = ready.pop()) {
    order.push(next);
    for (const down of dag.downstream[next] ?? []) {
      if (--(waiting[down] as number) === 0) ready.push(down);
    }
  }
  if (order.length < count) {
    const placed = new Set(order);
    const remaining = new Set(dag.specs.map((s) => s.index).filter((i) => !placed.has(i)));
    const cycle = findCycle(remaining, dag.upstream);
    throw new CycleError(cycle.map((i) => dag.specs[i]?.name ?? "?"));
  }
  return order;
}

/**
 * The plan's fingerprint: pipeline name and each step's name, label, inputs, outputs and body kind. The
 * sha256 of `JSON.stringify([pipelineName, [[name, layer, [[local, dataset], ...], outputs, kind], ...]])`,
 * whose text is built here piece by piece (the same text, without the nested arrays per step).
 */
function fingerprint(pipelineName: string, specs: readonly StepSpec[]): string {
  let text = `[${JSON.stringify(pipelineName)},[`;
  for (let i = 0; i < specs.length; i++) {
    const s = specs[i] as StepSpec;
    let inputs = "";
    for (const input of s.inputs) inputs += `${inputs === "" ? "" : ","}[${JSON.stringify(input.local)},${JSON.stringify(input.dataset)}]`;
    text += `${i === 0 ? "" : ","}[${JSON.stringify(s.name)},${s.layer === undefined ? "null" : JSON.stringify(s.layer)},[${inputs}],${JSON.stringify(s.outputs)},${JSON.stringify(s.body.kind)}]`;
  }
  const digest = createHash("sha256").update(`${text}]]`).digest("hex");
  return `batch-${digest.slice(0, 16)}`;
}

/**
 * Validates the steps as a pipeline and orders them. Throws a `PlanError` subclass for duplicate names
 * or outputs, missing inputs (with "did you mean"), and cycles (in order: `a -> b -> c -> a`).
 */
export function buildPlan(
  specs: readonly StepSpec[],
  options: { pipelineName: string; sources?: Iterable<string> },
): PlannedPipeline {
  const dag = buildDag(specs, options.sources);
  const order = topologicalOrder(dag);
  const rank = new Int32Array(specs.length);
  order.forEach((index, position) => (rank[index] = position));

  const depth = new Int32Array(specs.length);
  for (const index of order) {
    let d = 0;
    for (const up of dag.upstream[index] ?? []) d = Math.max(d, (depth[up] as number) + 1);
    depth[index] = d;
  }
  // A loop, not Math.max(...depth): spreading a very large DAG's depths overflows the call stack.
  let layerCount = 0;
  for (const d of depth) if (d + 1 > layerCount) layerCount = d + 1;
  const layers: string[][] = Array.from({ length: layerCount }, () => []);
  for (const spec of specs) layers[depth[spec.index] as number]?.push(spec.name);

  const byRank = (a: number, b: number): number => (rank[a] as number) - (rank[b] as number);
  const nameOf = (i: number): string => specs[i]?.name ?? "?";
  // Most steps have one neighbour or none: no copy and no sort for them.
  const namesByRank = (indices: readonly number[]): readonly string[] =>
    indices.length === 0 ? EMPTY_ARRAY : indices.length === 1 ? [nameOf(indices[0] as number)] : sortSmall([...indices], byRank).map(nameOf);
  const steps: PlanStep[] = [];
  const edges: PlanEdge[] = [];
  for (const index of order) {
    const spec = specs[index] as StepSpec;
    const inputs = spec.inputs.length === 0 ? EMPTY_ARRAY : distinct(spec.inputs.map((i) => i.dataset));
    steps.push({
      name: spec.name,
      layer: spec.layer,
      upstream: namesByRank(dag.upstream[index] ?? []),
      downstream: namesByRank(dag.downstream[index] ?? []),
      inputs,
      outputs: spec.outputs,
      depth: depth[index] as number,
    });
    for (const dataset of inputs) {
      const from = dag.producerOf.get(dataset);
      if (from !== undefined) edges.push({ from: nameOf(from), to: spec.name, dataset });
    }
  }

  const plan: ExecutionPlan = {
    batchRunId: fingerprint(options.pipelineName, specs),
    pipelineName: options.pipelineName,
    order: order.map(nameOf),
    layers,
    steps,
    sources: dag.sources,
    edges,
  };
  return { plan, dag, order, rank };
}
