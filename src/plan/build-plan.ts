import { createHash } from "node:crypto";
import type { StepInput, StepSpec } from "../step/step-spec.js";
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

/**
 * Kahn's algorithm with a min-heap on declaration index: a deterministic topological order. When every
 * step reads only steps declared before it, that order is the declaration order itself (each step is the
 * smallest ready index in turn), given without the heap.
 */
function topologicalOrder(dag: Dag): number[] {
  const count = dag.specs.length;
  const order: number[] = new Array<number>(count);
  if (dag.declaredInOrder) {
    for (let i = 0; i < count; i++) order[i] = i;
    return order;
  }
  const waiting = new Int32Array(count);
  const ready = new MinHeap();
  for (let i = 0; i < count; i++) {
    waiting[i] = (dag.upstream[i] as readonly number[]).length;
    if (waiting[i] === 0) ready.push(i);
  }
  let placed = 0;
  for (let next = ready.pop(); next !== undefined; next = ready.pop()) {
    order[placed++] = next;
    const downs = dag.downstream[next] as readonly number[];
    for (let k = 0; k < downs.length; k++) {
      const down = downs[k] as number;
      if (--(waiting[down] as number) === 0) ready.push(down);
    }
  }
  if (placed < count) {
    const done = new Set(order.slice(0, placed));
    const remaining = new Set(dag.specs.map((s) => s.index).filter((i) => !done.has(i)));
    const cycle = findCycle(remaining, dag.upstream);
    throw new CycleError(cycle.map((i) => dag.specs[i]?.name ?? "?"));
  }
  return order;
}

/** Bytes of the fingerprint's text hashed at a time. */
const FINGERPRINT_CHUNK = 65_536;

/**
 * The plan's fingerprint: pipeline name and each step's name, label, inputs, outputs and body kind. The
 * sha256 of `JSON.stringify([pipelineName, [[name, layer, [[local, dataset], ...], outputs, kind], ...]])`,
 * written here piece by piece into a reused buffer: building that text as a string made several objects
 * per step (and a rope to flatten), twice the time of this for a 10,000-step pipeline. Names (steps,
 * datasets, inputs' local names) match NAME_PATTERN (checked when declared) and body kinds are words: their
 * JSON is themselves in quotes, in ASCII. The pipeline's name and the layer labels are any text: their
 * JSON goes to the hash as a string (UTF-8).
 */
function fingerprint(pipelineName: string, specs: readonly StepSpec[]): string {
  const hash = createHash("sha256");
  const buffer = new Uint8Array(FINGERPRINT_CHUNK);
  let at = 0;
  const flush = (): void => {
    if (at > 0) hash.update(at === FINGERPRINT_CHUNK ? buffer : buffer.subarray(0, at));
    at = 0;
  };
  const ascii = (text: string): void => {
    for (let c = 0; c < text.length; c++) {
      if (at === FINGERPRINT_CHUNK) flush();
      buffer[at++] = text.charCodeAt(c);
    }
  };
  const anyText = (json: string): void => {
    flush();
    hash.update(json);
  };
  ascii("[");
  anyText(JSON.stringify(pipelineName));
  ascii(",[");
  for (let i = 0; i < specs.length; i++) {
    const s = specs[i] as StepSpec;
    ascii(i === 0 ? '["' : ',["');
    ascii(s.name);
    ascii('",');
    if (s.layer === undefined) ascii("null");
    else anyText(JSON.stringify(s.layer));
    ascii(",[");
    const inputs = s.inputs;
    for (let k = 0; k < inputs.length; k++) {
      const input = inputs[k] as StepInput;
      ascii(k === 0 ? '["' : ',["');
      ascii(input.local);
      ascii('","');
      ascii(input.dataset);
      ascii('"]');
    }
    ascii("],[");
    const outputs = s.outputs;
    for (let k = 0; k < outputs.length; k++) {
      ascii(k === 0 ? '"' : ',"');
      ascii(outputs[k] as string);
      ascii('"');
    }
    ascii('],"');
    ascii(s.body.kind);
    ascii('"]');
  }
  ascii("]]");
  flush();
  return `batch-${hash.digest("hex").slice(0, 16)}`;
}

/** The parts of a plan that show its shape, made from its DAG and order. */
interface PlanShape {
  readonly layers: string[][];
  readonly steps: PlanStep[];
  readonly edges: PlanEdge[];
}

function planShape(specs: readonly StepSpec[], dag: Dag, order: readonly number[], rank: Int32Array): PlanShape {
  const depth = new Int32Array(specs.length);
  let layerCount = 0;
  for (let p = 0; p < order.length; p++) {
    const index = order[p] as number;
    const ups = dag.upstream[index] as readonly number[];
    let d = 0;
    for (let k = 0; k < ups.length; k++) d = Math.max(d, (depth[ups[k] as number] as number) + 1);
    depth[index] = d;
    if (d + 1 > layerCount) layerCount = d + 1;
  }
  const layers: string[][] = Array.from({ length: layerCount }, () => []);
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i] as StepSpec;
    layers[depth[spec.index] as number]?.push(spec.name);
  }

  const byRank = (a: number, b: number): number => (rank[a] as number) - (rank[b] as number);
  const nameOf = (i: number): string => specs[i]?.name ?? "?";
  // Most steps have one neighbour or none: no copy and no sort for them.
  const namesByRank = (indices: readonly number[]): readonly string[] =>
    indices.length === 0 ? EMPTY_ARRAY : indices.length === 1 ? [nameOf(indices[0] as number)] : sortSmall([...indices], byRank).map(nameOf);
  const steps: PlanStep[] = [];
  const edges: PlanEdge[] = [];
  for (let p = 0; p < order.length; p++) {
    const index = order[p] as number;
    const spec = specs[index] as StepSpec;
    const inputs = spec.inputs.length === 0 ? EMPTY_ARRAY : distinct(spec.inputs.map((i) => i.dataset));
    steps.push({
      name: spec.name,
      layer: spec.layer,
      upstream: namesByRank(dag.upstream[index] ?? EMPTY_ARRAY),
      downstream: namesByRank(dag.downstream[index] ?? EMPTY_ARRAY),
      inputs,
      outputs: spec.outputs,
      depth: depth[index] as number,
    });
    for (let k = 0; k < inputs.length; k++) {
      const dataset = inputs[k] as string;
      const from = dag.producerOf.get(dataset);
      if (from !== undefined) edges.push({ from: nameOf(from), to: spec.name, dataset });
    }
  }
  return { layers, steps, edges };
}

/**
 * The plan object: `layers`, `steps` and `edges` are made when first read (then kept as plain data
 * properties). Running a pipeline needs only the DAG's indices; a plan shown, exported or recorded reads
 * them as it would any property (they are own, enumerable, in the usual key order: JSON, spreads and
 * structured clones see them).
 */
function planObject(fields: Omit<ExecutionPlan, "layers" | "steps" | "edges">, shape: () => PlanShape): ExecutionPlan {
  const plan = { batchRunId: fields.batchRunId, pipelineName: fields.pipelineName, order: fields.order, layers: EMPTY_ARRAY, steps: EMPTY_ARRAY, sources: fields.sources, edges: EMPTY_ARRAY };
  let made: PlanShape | undefined;
  const keep = (): PlanShape => {
    if (made === undefined) {
      made = shape();
      try {
        for (const key of SHAPE_KEYS) Object.defineProperty(plan, key, { value: made[key], enumerable: true, writable: false, configurable: false });
      } catch {
        // A plan someone froze or sealed keeps its getters, which give the same arrays every time.
      }
    }
    return made;
  };
  for (const key of SHAPE_KEYS) Object.defineProperty(plan, key, { get: () => keep()[key], enumerable: true, configurable: true });
  return plan as unknown as ExecutionPlan;
}

const SHAPE_KEYS = ["layers", "steps", "edges"] as const;

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
  const names: string[] = new Array<string>(order.length);
  for (let p = 0; p < order.length; p++) {
    const index = order[p] as number;
    rank[index] = p;
    names[p] = (specs[index] as StepSpec).name;
  }
  const plan = planObject(
    { batchRunId: fingerprint(options.pipelineName, specs), pipelineName: options.pipelineName, order: names, sources: dag.sources },
    () => planShape(specs, dag, order, rank),
  );
  return { plan, dag, order, rank };
}
